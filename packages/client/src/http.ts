import type { Connection } from './config.js';
import { ApiError, NetworkError, RateLimitError, TimeoutError } from './errors.js';
import type { ProgressListener } from './progress.js';
import { type RateBudget, type RateClass, RESET_MARGIN_MS, resetTime, retryAfterMs } from './rate-budget.js';
import { backoffDelay, NEVER_SENT_CODES, RETRYABLE_STATUSES, type RetryPolicy, TRANSIENT_CODES } from './retry-policy.js';
import { formatMs, sleep } from './timing.js';

export interface TransportOptions {
  connection: Connection;
  budget: RateBudget;
  policy: RetryPolicy;
  /** Per-request timeout, ms. */
  requestTimeoutMs: number;
  fetch: typeof fetch;
  userAgent: string;
}

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Path under the origin, with query string: /api/jobs/123 */
  path: string;
  /** The route as documented, for messages: GET /api/jobs/:id */
  route: string;
  body?: unknown;
  rateClass: RateClass;
  /** GETs are retried on 5xx and network errors; a POST only when the server provably did not take it. */
  idempotent: boolean;
  signal: AbortSignal;
  onProgress?: ProgressListener;
  /** Says what a 403/404 means for this call, e.g. "project 1000". */
  subject?: string;
}

/** Extracts the system error code (ECONNREFUSED…) undici hides in `cause`. */
export function networkCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; i < 4 && current; i++) {
    if (typeof current.code === 'string' && current.code !== 'ABORT_ERR') return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

const CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the DNS lookup failed temporarily',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  REQUEST_TIMEOUT: 'no answer came in time',
};

/** The innermost cause's message of a fetch failure ("fetch failed" itself says nothing). */
export function rootCauseMessage(error: unknown): string | undefined {
  let current = error as { message?: unknown; cause?: unknown } | undefined;
  let message: string | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (typeof current.message === 'string' && current.message !== 'fetch failed') message = current.message;
    current = current.cause as typeof current;
  }
  return message;
}

export function describeNetworkFailure(code: string | undefined, error?: unknown): string {
  const known = CODE_TEXT[code ?? ''];
  if (known) return `${known}${code !== 'REQUEST_TIMEOUT' ? ` (${code})` : ''}`;
  const detail = rootCauseMessage(error);
  return `the request failed${code ? ` (${code})` : ''}${detail ? `: ${detail}` : ''}`;
}

function hintFor(status: number, request: ApiRequest, apiMessage: string | undefined): string {
  if (status === 401) return 'check the API token (PLAYCANVAS_API_KEY or the token option): it is missing, mistyped or revoked';
  if (status === 403) return `the token has no access to ${request.subject ?? 'this resource'}: use a token of the organization that owns it`;
  if (status === 404) return `check ${request.subject ?? 'the ids you gave'}${apiMessage ? '' : ', and the base URL'}`;
  if (status === 400 || status === 422) return 'the API refused the request as sent: fix the option it names';
  if (status >= 500) return 'the PlayCanvas service failed; try again later';
  return 'see the API message';
}

export class Transport {
  constructor(readonly options: TransportOptions) {}

  /** Sends one API request with the retry and rate-limit policy; resolves to the parsed JSON body. */
  async request<T>(request: ApiRequest): Promise<T> {
    const { policy, budget, connection } = this.options;
    let failures = 0;
    let limited = 0;
    for (;;) {
      await budget.acquire(request.rateClass, request.signal, request.onProgress);
      let response: Response;
      let text: string;
      try {
        ({ response, text } = await this.send(request));
      } catch (error) {
        budget.release(request.rateClass, undefined);
        if (request.signal.aborted) throw request.signal.reason;
        const code = networkCode(error) ?? ((error as Error).name === 'TimeoutError' ? 'REQUEST_TIMEOUT' : undefined);
        const retryable = request.idempotent ? TRANSIENT_CODES.has(code ?? '') : NEVER_SENT_CODES.has(code ?? '');
        if (retryable && failures < policy.retries) {
          await this.backoff(request, failures++, describeNetworkFailure(code, error));
          continue;
        }
        const tries = failures + 1;
        const what = `${request.method} ${connection.origin}${request.route}`;
        if (code === 'REQUEST_TIMEOUT') {
          throw new TimeoutError(
            `${what}: no answer within ${formatMs(this.options.requestTimeoutMs)} (${tries} ${tries === 1 ? 'try' : 'tries'}); check the network or raise requestTimeout`,
            this.options.requestTimeoutMs,
          );
        }
        throw new NetworkError(
          `Cannot reach the PlayCanvas API: ${what} failed: ${describeNetworkFailure(code, error)} after ${tries} ${tries === 1 ? 'try' : 'tries'}; check the base URL (PLAYCANVAS_BASE_URL) and the network`,
          code,
        );
      }
      budget.release(request.rateClass, response.headers);
      const json = parseJson(text);
      if (response.ok) {
        if (json === undefined)
          throw this.apiError(request, response.status, `answered ${response.status} with a body that is not JSON: ${snippet(text)}`, undefined);
        return json as T;
      }
      const apiMessage = typeof (json as { error?: unknown })?.error === 'string' ? (json as { error: string }).error : undefined;
      if (response.status === 429) {
        const resetAt = resetTime(response.headers);
        const waitMs = retryAfterMs(response.headers) ?? (resetAt !== undefined ? resetAt - Date.now() : backoffDelay(policy, limited));
        const wait = Math.max(0, waitMs) + RESET_MARGIN_MS;
        if (limited >= policy.rateLimitRetries || wait > policy.maxRateLimitWaitMs) {
          throw new RateLimitError(
            `${request.method} ${request.route} is still rate limited (429) after ${limited + 1} ${limited === 0 ? 'answer' : 'answers'}${wait > policy.maxRateLimitWaitMs ? `; the API asks to wait ${formatMs(wait)}, over the ${formatMs(policy.maxRateLimitWaitMs)} allowed` : ''}: run fewer builds at once or wait for the window to reset`,
            request.method,
            request.route,
            resetAt === undefined ? undefined : new Date(resetAt),
          );
        }
        limited += 1;
        budget.exhaust(request.rateClass, Date.now() + wait);
        request.onProgress?.({ type: 'rate-limit-wait', rateClass: request.rateClass, waitMs: wait, reason: '429' });
        await sleep(wait, request.signal);
        continue;
      }
      if (request.idempotent && RETRYABLE_STATUSES.has(response.status) && failures < policy.retries) {
        const after = retryAfterMs(response.headers);
        await this.backoff(request, failures++, `the API answered ${response.status}`, after);
        continue;
      }
      const tries = failures + 1;
      const detail = `answered ${response.status}${apiMessage ? ` "${apiMessage}"` : ''}${tries > 1 ? ` (after ${tries} tries)` : ''}`;
      throw this.apiError(request, response.status, detail, apiMessage);
    }
  }

  private apiError(request: ApiRequest, status: number, detail: string, apiMessage: string | undefined): ApiError {
    return new ApiError(
      `PlayCanvas API: ${request.method} ${request.route} ${detail}: ${hintFor(status, request, apiMessage)}`,
      status,
      apiMessage,
      request.method,
      request.route,
    );
  }

  private async backoff(request: ApiRequest, attempt: number, reason: string, minimumMs = 0): Promise<void> {
    const delayMs = Math.max(minimumMs, backoffDelay(this.options.policy, attempt));
    request.onProgress?.({ type: 'retry', attempt: attempt + 1, delayMs, reason, route: request.route });
    await sleep(delayMs, request.signal);
  }

  private async send(request: ApiRequest): Promise<{ response: Response; text: string }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.connection.token}`,
      accept: 'application/json',
      'user-agent': this.options.userAgent,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    // A timer cleared as soon as the answer is in: AbortSignal.timeout would keep one alive per request.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DOMException('request timed out', 'TimeoutError')), this.options.requestTimeoutMs);
    try {
      const response = await this.options.fetch(`${this.options.connection.origin}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.any([request.signal, deadline.signal]),
        redirect: 'error',
      });
      return { response, text: await response.text() };
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}
