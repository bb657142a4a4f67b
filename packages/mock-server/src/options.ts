import { toEpochMs } from './clock.js';
import { ORGANIZATION_LIMITS } from './rate-limits.js';
import type { StartOptions } from './server.js';

export class OptionsError extends TypeError {
  override name = 'OptionsError';
}

const KNOWN = [
  'port',
  'host',
  'tls',
  'fixtures',
  'clock',
  'pollsToComplete',
  'defaultScenario',
  'rateLimits',
  'rateWindowMs',
  'branchPageSize',
  'downloadBaseUrl',
  'bodyLimit',
  'journal',
  'log',
  'resetRestartsJobIds',
  'namespaces',
] as const;

const SIZE = /^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i;

const shown = (value: unknown): string => {
  if (typeof value === 'function') return 'a function';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

function fail(name: string, wanted: string, value: unknown): never {
  throw new OptionsError(`startMockServer: ${name} must be ${wanted}; got ${shown(value)}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function integer(o: Record<string, unknown>, name: string, min: number, max: number, label = name): void {
  const value = o[name];
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    fail(label, `an integer from ${min} to ${max}`, value);
}

function object(
  o: Record<string, unknown>,
  name: string,
  keys: readonly string[],
): Record<string, unknown> | undefined {
  const value = o[name];
  if (value === undefined) return undefined;
  if (!isObject(value)) fail(name, `an object with ${keys.join(', ')}`, value);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key))
      throw new OptionsError(`startMockServer: unknown ${name} option ${JSON.stringify(key)}; use ${keys.join(', ')}`);
  }
  return value;
}

/**
 * Checks startMockServer's options, so a typo or a bad value fails at start, naming the option, never on a
 * request. The fixtures and the default scenario have their own checks.
 */
export function validateStartOptions(input: unknown): StartOptions {
  if (input === undefined) return {};
  if (!isObject(input)) fail('the options', 'an object', input);
  const o = input;
  for (const key of Object.keys(o)) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      throw new OptionsError(
        `startMockServer: unknown option ${JSON.stringify(key)}; the options are ${KNOWN.join(', ')}`,
      );
    }
  }
  integer(o, 'port', 0, 65535);
  if (o.host !== undefined && (typeof o.host !== 'string' || o.host === ''))
    fail('host', 'an address such as 127.0.0.1', o.host);
  const tls = object(o, 'tls', ['cert', 'key']);
  if (tls) {
    for (const key of ['cert', 'key']) {
      const pem = tls[key];
      if (!(typeof pem === 'string' || Buffer.isBuffer(pem)) || pem.length === 0)
        fail(`tls.${key}`, 'PEM text (a string or a Buffer)', pem);
    }
  }
  const clock = object(o, 'clock', ['start', 'mode']);
  if (clock) {
    if (clock.mode !== undefined && clock.mode !== 'frozen' && clock.mode !== 'realtime')
      fail('clock.mode', "'frozen' or 'realtime'", clock.mode);
    if (clock.start !== undefined) {
      try {
        toEpochMs(clock.start);
      } catch (error) {
        throw new OptionsError(`startMockServer: clock.start: ${(error as Error).message}`);
      }
    }
  }
  integer(o, 'pollsToComplete', 1, 1_000_000);
  const limits = object(o, 'rateLimits', Object.keys(ORGANIZATION_LIMITS));
  if (limits) for (const key of Object.keys(limits)) integer(limits, key, 0, 1_000_000_000, `rateLimits.${key}`);
  integer(o, 'rateWindowMs', 1000, 86_400_000);
  integer(o, 'branchPageSize', 1, 1000);
  if (o.downloadBaseUrl !== undefined) checkBaseUrl(o.downloadBaseUrl);
  if (o.bodyLimit !== undefined) {
    const ok =
      typeof o.bodyLimit === 'number'
        ? Number.isSafeInteger(o.bodyLimit) && o.bodyLimit > 0
        : typeof o.bodyLimit === 'string' && SIZE.test(o.bodyLimit);
    if (!ok) fail('bodyLimit', "a byte count or a size such as '256kb' or '1mb'", o.bodyLimit);
  }
  const journal = object(o, 'journal', ['maxEntries', 'maxBodyBytes']);
  if (journal) {
    integer(journal, 'maxEntries', 1, 10_000_000, 'journal.maxEntries');
    integer(journal, 'maxBodyBytes', 0, 1024 ** 3, 'journal.maxBodyBytes');
  }
  if (o.log !== undefined && o.log !== false && typeof o.log !== 'function')
    fail('log', 'a function taking one line, or false for no log', o.log);
  if (o.resetRestartsJobIds !== undefined && typeof o.resetRestartsJobIds !== 'boolean')
    fail('resetRestartsJobIds', 'true or false', o.resetRestartsJobIds);
  const namespaces = object(o, 'namespaces', ['max', 'idleMs']);
  if (namespaces) {
    integer(namespaces, 'max', 1, 100_000, 'namespaces.max');
    integer(namespaces, 'idleMs', 0, 86_400_000, 'namespaces.idleMs');
  }
  return o as StartOptions;
}

/** The origin (and optional path) download URLs start with; a trailing slash would double the path's. */
function checkBaseUrl(value: unknown): void {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password ||
    String(value).endsWith('/')
  ) {
    fail(
      'downloadBaseUrl',
      'an http(s) origin such as https://cdn.example.com, with no query and no trailing slash',
      value,
    );
  }
}
