import { createHash } from 'node:crypto';
import { type Budget, budgetFor, RESET_MARGIN_MS, resetTime, retryAfterMs, sharedBudgetFor } from '../budget/index.js';
import type { ProgressListener } from '../common/index.js';
import {
  ApiError,
  clampDelay,
  cleanApiText,
  formatMs,
  NetworkError,
  RateLimitError,
  TimeoutError,
} from '../common/index.js';
import {
  describeNetworkFailure,
  describeProxyFailure,
  isTlsCode,
  nameProxy,
  networkCode,
  routedFetch,
  safeCause,
} from '../network/index.js';
import type { ClientConfig } from '../options/index.js';
import { BASE_URL_VARIABLE } from '../options/index.js';
import { type ApiRequest, hintFor } from './api-request.js';
import { backoffDelay, Retry, withRetries } from './retry.js';
import { CLIENT_VERSION } from './version.js';

/**
 * An API answer larger than this is refused: no documented answer comes near it, and an endless body must not fill
 * memory.
 */
export const MAX_API_BODY_BYTES = 16 * 1024 * 1024;

export { type ApiRequest, unexpectedAnswer } from './api-request.js';

const tries = (n: number) => `${n} ${n === 1 ? 'try' : 'tries'}`;

/** What a request is sent under: the operation's signal and progress listener. */
export interface Call {
  readonly signal: AbortSignal;
  readonly onProgress: ProgressListener;
}

/** The one place that talks HTTP: user agent, token, timeouts, the rate budget and the retry engine. */
export class Transport {
  readonly budget: Budget;
  readonly userAgent = `playcanvas-rest-client/${CLIENT_VERSION} node/${process.versions.node}`;
  private readonly fetch: typeof fetch;

  constructor(readonly config: ClientConfig) {
    const fingerprint = createHash('sha256').update(config.connection.token).digest('hex').slice(0, 16);
    const { origin, token } = config.connection;
    const local = budgetFor(origin, fingerprint);
    // the first request of a window may keep the others waiting for its answer, as long as a request may take
    this.budget = config.rateBudget
      ? sharedBudgetFor(config.rateBudget, origin, token, local, config.requestTimeout)
      : local;
    this.fetch = config.fetch ?? routedFetch(config.proxy);
  }

  /**
   * Sends one API request under the retry and rate-limit policy; resolves to the parsed JSON body (to be
   * shape-checked).
   */
  api(ctx: Call, request: ApiRequest): Promise<unknown> {
    const { connection, retry: policy } = this.config;
    const shown = request.path.split('?')[0] as string;
    const where = `${request.method} ${connection.origin}${shown}`;
    return withRetries({ policy, signal: ctx.signal, onProgress: ctx.onProgress, route: request.route }, async () => {
      await this.budget.acquire(request.rateClass, {
        signal: ctx.signal,
        onProgress: ctx.onProgress,
        maxWaitMs: policy.maxRateLimitWaitMs,
        method: request.method,
        route: request.route,
        path: shown,
      });
      let response: Response;
      let text: string;
      try {
        ({ response, text } = await this.send(request, ctx.signal));
      } catch (error) {
        this.budget.release(request.rateClass, undefined);
        if (ctx.signal.aborted) throw ctx.signal.reason;
        if (error instanceof ApiError) throw error;
        const code = networkCode(error);
        const target = new URL(connection.origin);
        const proxy = this.config.proxy.routeFor(target);
        const proxyFailure = proxy && describeProxyFailure(code, error, proxy, target);
        const final = (n: number): Error => {
          const cause = { cause: safeCause(code, error) };
          if (code === 'REQUEST_TIMEOUT') {
            return new TimeoutError(
              `${where}: no answer within ${formatMs(this.config.requestTimeout)} (${tries(n)}); ` +
                `check the network or raise ${this.config.words.option('requestTimeout')}`,
              this.config.requestTimeout,
            );
          }
          if (proxy && proxyFailure) {
            return new NetworkError(
              `The ${nameProxy(proxy)} ${proxyFailure.problem}, for ${where}${n > 1 ? ` (${tries(n)})` : ''}: ` +
                `${proxyFailure.fix}`,
              code,
              cause,
            );
          }
          if (isTlsCode(code))
            return new NetworkError(
              `${where} failed the TLS check: ${describeNetworkFailure(code, error)}`,
              code,
              cause,
            );
          return new NetworkError(
            `Cannot reach the PlayCanvas API: ${where}${proxy ? ` through the ${nameProxy(proxy)}` : ''} failed: ` +
              `${describeNetworkFailure(code, error)} after ${tries(n)}; ` +
              `check the base URL (${BASE_URL_VARIABLE}) and the network`,
            code,
            cause,
          );
        };
        const proxyProblem = proxy && proxyFailure && `the ${nameProxy(proxy)} ${proxyFailure.problem}`;
        const reason = proxyProblem || describeNetworkFailure(code, error);
        throw new Retry(reason, { to: 'api', method: request.method, code }, final);
      }
      this.budget.release(request.rateClass, response.headers);
      const json = parseJson(text);
      if (response.ok) {
        if (json === undefined)
          throw this.apiError(
            request,
            response.status,
            `answered ${response.status} with a body that is not JSON: ${snippet(text)}`,
            undefined,
          );
        return json;
      }
      const raw = (json as { error?: unknown } | undefined)?.error;
      const apiMessage = typeof raw === 'string' ? cleanApiText(raw) : undefined;
      if (response.status === 429) {
        const now = Date.now();
        const resetAt = resetTime(response.headers, now);
        const waitMs =
          Math.max(
            0,
            retryAfterMs(response.headers, now) ?? (resetAt !== undefined ? resetAt - now : backoffDelay(policy, 0)),
          ) + RESET_MARGIN_MS;
        throw new Retry(
          'the API answered 429',
          { to: 'api', method: request.method, status: 429 },
          (n, wait) => {
            const asked =
              wait !== undefined && wait > policy.maxRateLimitWaitMs
                ? `; the API asks to wait ${formatMs(wait)}, ` +
                  `over the ${formatMs(policy.maxRateLimitWaitMs)} allowed (retry.maxRateLimitWaitMs)`
                : '';
            return new RateLimitError(
              `${request.method} ${shown} is still rate limited (429) after ${n} ${n === 1 ? 'answer' : 'answers'}` +
                `${asked}: run fewer builds at once or wait for the window to reset`,
              request.method,
              request.route,
              resetAt === undefined ? undefined : new Date(resetAt),
            );
          },
          {
            rateLimit: {
              waitMs,
              rateClass: request.rateClass,
              onWait: (ms) => this.budget.exhaust(request.rateClass, Date.now() + ms),
            },
          },
        );
      }
      const fail = (n: number, wait?: number) => {
        const said = apiMessage ? ` "${apiMessage}"` : '';
        const tried = n > 1 ? ` (after ${tries(n)})` : '';
        const asked =
          wait !== undefined && wait > policy.maxRateLimitWaitMs
            ? ` and asked to wait ${formatMs(wait)}, over the ${formatMs(policy.maxRateLimitWaitMs)} allowed`
            : '';
        return this.apiError(
          request,
          response.status,
          `answered ${response.status}${said}${tried}${asked}`,
          apiMessage,
        );
      };
      const after = retryAfterMs(response.headers);
      const failure = { to: 'api', method: request.method, status: response.status } as const;
      const options = after === undefined ? {} : { afterMs: after };
      throw new Retry(`the API answered ${response.status}`, failure, fail, options);
    });
  }

  apiError(request: ApiRequest, status: number, detail: string, apiMessage: string | undefined): ApiError {
    return new ApiError(
      `PlayCanvas API: ${request.method} ${request.path.split('?')[0]} ${detail}: ` +
        `${hintFor(status, request, apiMessage, this.config.words)}`,
      status,
      apiMessage,
      request.method,
      request.route,
    );
  }

  private async send(request: ApiRequest, signal: AbortSignal): Promise<{ response: Response; text: string }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.connection.token}`,
      accept: 'application/json',
      'user-agent': this.userAgent,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    // A timer cleared as soon as the answer is in: AbortSignal.timeout would keep one alive per request.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('request timed out', 'TimeoutError')),
      clampDelay(this.config.requestTimeout),
    );
    try {
      const init: RequestInit = {
        method: request.method,
        headers,
        signal: AbortSignal.any([signal, deadline.signal]),
        redirect: 'error',
      };
      if (request.body !== undefined) init.body = JSON.stringify(request.body);
      const response = await this.fetch(`${this.config.connection.origin}${request.path}`, init);
      return {
        response,
        text: await readText(response, () =>
          this.apiError(request, response.status, `answered more than ${MAX_API_BODY_BYTES} bytes`, undefined),
        ),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** A plain GET (for downloads): the user agent always, the token only to the API's own origin. */
  fetchUrl(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const all: Record<string, string> = { 'user-agent': this.userAgent, ...headers };
    if (url.origin === new URL(this.config.connection.origin).origin)
      all.authorization = `Bearer ${this.config.connection.token}`;
    return this.fetch(url, { headers: all, signal });
  }
}

async function readText(response: Response, tooLarge: () => Error): Promise<string> {
  if (!response.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_API_BODY_BYTES) {
      await response.body.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
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
  return JSON.stringify(cleanApiText(text, 120));
}
