import type { Context } from '../api/index.js';
import { Retry, withRetries } from '../api/index.js';
import { clampDelay, DownloadError, NetworkError, safeUrl } from '../common/index.js';
import { describeNetworkFailure, describeProxyFailure, nameProxy, networkCode, safeCause } from '../network/index.js';
import type { Vocabulary } from '../options/index.js';
import { isLoopback } from '../options/index.js';

/** What the download's requests share, the whole file at once or in ranges: URL checks, failures, retries, stalls. */

/** What a Broken transfer says besides why: what decideRetry judges, and errors other than the default. */
export interface BrokenDetails {
  /** The answer's status, when one came. */
  status?: number;
  /** The network error's code, when no answer came. */
  code?: string | undefined;
  /** The error once the tries run out, if not the default. */
  final?: (tries: number) => Error;
  /** The error when decideRetry says trying again cannot help, if not `final`'s. */
  notRetried?: () => Error;
}

/** Why a transfer failed, as the retry engine words it. */
export class Broken extends Error {
  constructor(
    message: string,
    readonly details: BrokenDetails = {},
  ) {
    super(message);
  }
}

/** An answer that is not the file: tried again or not as decideRetry says (a 5xx or 429 is, an expired link not). */
export function refused(url: URL, status: number): Broken {
  const why = "the link may have expired or the job's archive is gone";
  const notRetried = () =>
    new DownloadError(`Download of ${safeUrl(url)} answered ${status}: ${why}; start the build again`);
  return new Broken(`the server answered ${status}`, { status, notRetried });
}

export function checkUrl(raw: string, allowInsecureHttp: boolean, words: Vocabulary): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError(
      `The job gave a download URL that is not a URL: ${safeUrl(raw)}; the API may have changed, report it`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new DownloadError(`The download URL must be http(s); got ${url.protocol}`);
  checkPlainHttp(url, allowInsecureHttp, words);
  return url;
}

/**
 * Plain HTTP is for this machine only, unless the user says the network is trusted: the build could be altered on the
 * way.
 */
export function checkPlainHttp(url: URL, allowInsecureHttp: boolean, words: Vocabulary): void {
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new DownloadError(
      `The download URL ${safeUrl(url)} uses plain HTTP to another machine, ` +
        'so the build could be altered on the way: ask for an https URL, ' +
        `or set ${words.setting('allowInsecureHttp', true)} for a trusted network`,
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
    `The archive at ${safeUrl(url)} ${bytes}, over ${words.option('maxDownloadBytes')} (${max} bytes): ` +
      `raise ${words.the('maxDownloadBytes')} if the build really is that large`,
  );
}

export function sentTooMuch(url: URL, total: number, response: Response): DownloadError {
  const encoding = response.headers.get('content-encoding');
  return new DownloadError(
    `The server sent more than the ${total} bytes it announced for ${safeUrl(url)} ` +
      `(Content-Length${encoding ? `, with Content-Encoding ${encoding}` : ''}): the download was stopped; ` +
      'the archive host is misbehaving',
  );
}

/**
 * A request that got no answer, for decideRetry to judge by its code (a certificate or the proxy's credentials
 * are not tried again); a proxy's failure names the proxy, as the API's calls do.
 */
export function requestFailure(ctx: Context, url: URL, error: unknown): Broken {
  const code = networkCode(error);
  const cause = { cause: safeCause(code, error) };
  const proxy = ctx.config.proxy.routeFor(url);
  const proxyFailure = proxy && describeProxyFailure(code, error, proxy, url);
  if (proxy && proxyFailure) {
    const message = (n: number) =>
      `The ${nameProxy(proxy)} ${proxyFailure.problem}, for the download of ` +
      `${safeUrl(url)}${n > 1 ? ` (${n} tries)` : ''}: ${proxyFailure.fix}`;
    const final = (n: number) => new NetworkError(message(n), code, cause);
    return new Broken(`the ${nameProxy(proxy)} ${proxyFailure.problem}`, { code, final });
  }
  // of a download's failures to get an answer, decideRetry gives up at once only on a certificate's
  const reason = describeNetworkFailure(code, error);
  const tls = () => new NetworkError(`Download of ${safeUrl(url)} failed the TLS check: ${reason}`, code, cause);
  return new Broken(reason, { code, notRetried: tls });
}

/** Tries a transfer under the retry policy: a Broken try is tried again, and words the error once the tries run out. */
export function retryTransfer<T>(ctx: Context, url: URL, attempt: () => Promise<T>): Promise<T> {
  return withRetries(
    { policy: ctx.config.retry, signal: ctx.signal, onProgress: ctx.onProgress, route: 'download' },
    async () => {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof Broken)) throw error;
        const { status, code, final, notRetried } = error.details;
        const tries = (n: number) => `${n} ${n === 1 ? 'try' : 'tries'}`;
        const advice = 'check the network, then run the build again';
        const failedAfter = (n: number) =>
          new DownloadError(`Download of ${safeUrl(url)} failed after ${tries(n)}: ${error.message}; ${advice}`);
        const failure = { to: 'download', method: 'GET', ...(status !== undefined ? { status } : { code }) } as const;
        throw new Retry(error.message, failure, final ?? failedAfter, notRetried ? { notRetried } : {});
      }
    },
  );
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
  const waiting = setInterval(
    () => ctx.onProgress({ type: 'download-waiting', waitedMs: performance.now() - asked }),
    1000,
  );
  return () => clearInterval(waiting);
}
