import type { Context } from '../api/index.js';
import { Retry, withRetries } from '../api/index.js';
import { clampDelay, DownloadError, NetworkError, safeUrl } from '../common/index.js';
import {
  describeNetworkFailure,
  describeProxyFailure,
  isTlsCode,
  nameProxy,
  networkCode,
  PROXY_AUTH_REQUIRED,
  PROXY_TUNNEL_REFUSED,
  safeCause,
} from '../network/index.js';
import type { Vocabulary } from '../options/index.js';
import { isLoopback } from '../options/index.js';

/** What the download's requests share, the whole file at once or in ranges: URL checks, failures, retries, stalls. */

/** Why a transfer failed, as the retry engine words it; `final` words the error once the tries run out, if not the default. */
export class Broken extends Error {
  constructor(
    message: string,
    readonly final?: (tries: number) => Error,
  ) {
    super(message);
  }
}

export function checkUrl(raw: string, allowInsecureHttp: boolean, words: Vocabulary): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError(`The job gave a download URL that is not a URL: ${safeUrl(raw)}; the API may have changed, report it`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DownloadError(`The download URL must be http(s); got ${url.protocol}`);
  checkPlainHttp(url, allowInsecureHttp, words);
  return url;
}

/** Plain HTTP is for this machine only, unless the user says the network is trusted: the build could be altered on the way. */
export function checkPlainHttp(url: URL, allowInsecureHttp: boolean, words: Vocabulary): void {
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new DownloadError(
      `The download URL ${safeUrl(url)} uses plain HTTP to another machine, so the build could be altered on the way: ask for an https URL, or set ${words.setting('allowInsecureHttp', true)} for a trusted network`,
    );
  }
}

/** An answer that was redirected to plain HTTP on another machine is refused, its body let go. */
export async function checkRedirect(response: Response, allowInsecureHttp: boolean, words: Vocabulary): Promise<void> {
  if (!response.redirected) return;
  try {
    checkPlainHttp(new URL(response.url), allowInsecureHttp, words);
  } catch (error) {
    await response.body?.cancel().catch(() => undefined);
    throw error;
  }
}

/** The start, end (inclusive) and total of a `Content-Range: bytes start-end/total` answer. */
export function contentRange(headers: Headers): { start: number; end: number; total: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers.get('content-range') ?? '');
  return match ? { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) } : undefined;
}

/** A Content-Length header, when it is a number. */
export function declaredLength(headers: Headers): number | undefined {
  const declared = headers.get('content-length');
  return declared !== null && /^\d{1,16}$/.test(declared) ? Number(declared) : undefined;
}

export function tooLarge(url: URL, bytes: string, max: number, words: Vocabulary): DownloadError {
  return new DownloadError(
    `The archive at ${safeUrl(url)} ${bytes}, over ${words.option('maxDownloadBytes')} (${max} bytes): raise ${words.the('maxDownloadBytes')} if the build really is that large`,
  );
}

export function sentTooMuch(url: URL, total: number, response: Response): DownloadError {
  const encoding = response.headers.get('content-encoding');
  return new DownloadError(
    `The server sent more than the ${total} bytes it announced for ${safeUrl(url)} (Content-Length${encoding ? `, with Content-Encoding ${encoding}` : ''}): the download was stopped; the archive host is misbehaving`,
  );
}

/**
 * A request that got no answer: retried (Broken) unless retrying cannot help (a certificate, proxy credentials);
 * a proxy's failure names the proxy, as the API's calls do.
 */
export function requestFailure(ctx: Context, url: URL, error: unknown): Error {
  const code = networkCode(error);
  const cause = { cause: safeCause(code, error) };
  const proxy = ctx.config.proxy.routeFor(url);
  const proxyFailure = proxy && describeProxyFailure(code, error, proxy, url);
  if (proxy && proxyFailure) {
    const message = (n: number) =>
      `The ${nameProxy(proxy)} ${proxyFailure.problem}, for the download of ${safeUrl(url)}${n > 1 ? ` (${n} tries)` : ''}: ${proxyFailure.fix}`;
    if (code === PROXY_AUTH_REQUIRED || code === PROXY_TUNNEL_REFUSED) return new NetworkError(message(1), code, cause);
    return new Broken(`the ${nameProxy(proxy)} ${proxyFailure.problem}`, (n) => new NetworkError(message(n), code, cause));
  }
  if (isTlsCode(code))
    return new NetworkError(`Download of ${safeUrl(url)} failed the TLS check: ${describeNetworkFailure(code, error)}`, code, cause);
  return new Broken(describeNetworkFailure(code, error));
}

/** Tries a transfer under the retry policy: a Broken try is tried again, and words the error once the tries run out. */
export function retryTransfer<T>(ctx: Context, url: URL, attempt: () => Promise<T>): Promise<T> {
  return withRetries({ policy: ctx.config.retry, signal: ctx.signal, onProgress: ctx.onProgress, route: 'download' }, async () => {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof Broken)) throw error;
      throw new Retry(
        error.message,
        error.final ??
          ((n) =>
            new DownloadError(
              `Download of ${safeUrl(url)} failed after ${n} ${n === 1 ? 'try' : 'tries'}: ${error.message}; check the network, then run the build again`,
            )),
      );
    }
  });
}

/** Aborts its signal after `ms` without a touch: a request or a body that stalls. */
export class StallWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;

  constructor(private readonly ms: number) {
    this.timer = setTimeout(() => this.controller.abort(), clampDelay(ms));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stalled(): boolean {
    return this.controller.signal.aborted;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(), clampDelay(this.ms));
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Reports "waiting" every second until the answer comes (the log says so when the wait grows long). */
export function waitingReports(ctx: Context): () => void {
  const asked = performance.now();
  const waiting = setInterval(() => ctx.onProgress({ type: 'download-waiting', waitedMs: performance.now() - asked }), 1000);
  return () => clearInterval(waiting);
}
