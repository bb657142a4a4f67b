import { describe, expect, it } from 'vitest';
import { type Attempt, decideRetry, type RetryDecision, type TryFailure } from '../src/api/retry.js';

const POLICY = { retries: 2, baseDelayMs: 100, maxDelayMs: 1000, rateLimitRetries: 3, maxRateLimitWaitMs: 65_000 };
const FIRST: Attempt = { failures: 0, rateLimited: 0, waitMs: 100 };

type Failed = { status?: number; code?: string };
const api = (method: 'GET' | 'POST', failed: Failed): TryFailure => ({ to: 'api', method, ...failed });
const download = (failed: Failed): TryFailure => ({ to: 'download', method: 'GET', ...failed });

describe('decideRetry: whether a failed try is tried again', () => {
  const table: Array<[string, TryFailure, RetryDecision]> = [
    ['an API GET answered 500', api('GET', { status: 500 }), 'retry'],
    ['an API GET answered 502', api('GET', { status: 502 }), 'retry'],
    ['an API GET answered 503', api('GET', { status: 503 }), 'retry'],
    ['an API GET answered 504', api('GET', { status: 504 }), 'retry'],
    ['an API GET answered 501 (not implemented: the same answer again)', api('GET', { status: 501 }), 'not-retryable'],
    ['an API POST answered 503 (it may have started a job)', api('POST', { status: 503 }), 'not-retryable'],
    ['an API GET answered 429', api('GET', { status: 429 }), 'wait-for-window'],
    ['an API POST answered 429 (the window, not the job)', api('POST', { status: 429 }), 'wait-for-window'],
    ['an API GET answered 400', api('GET', { status: 400 }), 'not-retryable'],
    ['an API GET answered 401', api('GET', { status: 401 }), 'not-retryable'],
    ['an API GET answered 404', api('GET', { status: 404 }), 'not-retryable'],
    ['an API GET whose connection was reset', api('GET', { code: 'ECONNRESET' }), 'retry'],
    ['an API GET that timed out', api('GET', { code: 'REQUEST_TIMEOUT' }), 'retry'],
    ['an API POST whose connection was reset (it arrived?)', api('POST', { code: 'ECONNRESET' }), 'not-retryable'],
    ['an API POST refused before it was sent', api('POST', { code: 'ECONNREFUSED' }), 'retry'],
    ['an API POST the proxy could not deliver', api('POST', { code: 'PROXY_TUNNEL_FAILED' }), 'retry'],
    ['an API GET to a host not found', api('GET', { code: 'ENOTFOUND' }), 'not-retryable'],
    ['an API GET with a bad certificate', api('GET', { code: 'CERT_HAS_EXPIRED' }), 'not-retryable'],
    ['an API GET the proxy wants credentials for', api('GET', { code: 'PROXY_AUTH_REQUIRED' }), 'not-retryable'],
    ['an API GET with no code at all', api('GET', {}), 'not-retryable'],
    ['a download answered 500', download({ status: 500 }), 'retry'],
    ['a download answered 501', download({ status: 501 }), 'retry'],
    ['a download answered 429', download({ status: 429 }), 'retry'],
    ['a download answered 403 (an expired link)', download({ status: 403 }), 'not-retryable'],
    ['a download answered 404', download({ status: 404 }), 'not-retryable'],
    ['a download that stalled or broke off (no code)', download({}), 'retry'],
    ['a download whose host was not found', download({ code: 'ENOTFOUND' }), 'retry'],
    ['a download whose connection was reset', download({ code: 'ECONNRESET' }), 'retry'],
    ['a download with a bad certificate', download({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), 'not-retryable'],
    ['a download the proxy wants credentials for', download({ code: 'PROXY_AUTH_REQUIRED' }), 'not-retryable'],
    ['a download the proxy refused to tunnel', download({ code: 'PROXY_TUNNEL_REFUSED' }), 'not-retryable'],
    ['a download the proxy could not tunnel (the host was down)', download({ code: 'PROXY_TUNNEL_FAILED' }), 'retry'],
  ];
  it.each(table)('%s: %s', (_what, failure, decision) => {
    expect(decideRetry(failure, FIRST, POLICY)).toBe(decision);
  });

  it('stops once the retries are used up, and not before', () => {
    const failure = api('GET', { status: 503 });
    expect(decideRetry(failure, { ...FIRST, failures: 1 }, POLICY)).toBe('retry');
    expect(decideRetry(failure, { ...FIRST, failures: 2 }, POLICY)).toBe('exhausted');
    // 429s waited out do not use up the retries of other failures
    expect(decideRetry(failure, { ...FIRST, failures: 1, rateLimited: 3 }, POLICY)).toBe('retry');
  });

  it('waits out a 429 window up to rateLimitRetries times, counted apart', () => {
    const failure = api('GET', { status: 429 });
    expect(decideRetry(failure, { ...FIRST, rateLimited: 2, failures: 2 }, POLICY)).toBe('wait-for-window');
    expect(decideRetry(failure, { ...FIRST, rateLimited: 3 }, POLICY)).toBe('exhausted');
  });

  it('stops at once when the wait would be longer than maxRateLimitWaitMs, whatever asked for it', () => {
    expect(decideRetry(api('GET', { status: 429 }), { ...FIRST, waitMs: 65_001 }, POLICY)).toBe('exhausted');
    expect(decideRetry(api('GET', { status: 503 }), { ...FIRST, waitMs: 65_001 }, POLICY)).toBe('exhausted');
    expect(decideRetry(api('GET', { status: 503 }), { ...FIRST, waitMs: 65_000 }, POLICY)).toBe('retry');
  });

  it('says "not retryable" (not "exhausted") for a failure no retry mends, whatever the tries and the wait', () => {
    const late = { failures: 5, rateLimited: 5, waitMs: 1e9 };
    expect(decideRetry(api('POST', { status: 503 }), late, POLICY)).toBe('not-retryable');
  });
});
