import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { applyRequestFaults } from '../faults.js';
import type { FixtureProject, FixtureToken } from '../fixtures.js';
import { HttpError, notFound } from '../http-error.js';
import { stateOf } from '../namespaces.js';
import type { RateClass } from '../rate-limits.js';
import type { MockState } from '../state.js';
import { type ApiRouteName, ROUTE_TABLE } from './table.js';

export interface ApiContext {
  state: MockState;
  caller: FixtureToken;
  req: Request;
  res: Response;
}

export type ApiHandler = (
  ctx: ApiContext,
) => Promise<{ status?: number; body: unknown }> | { status?: number; body: unknown };

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Registers a PlayCanvas API handler under its route from ROUTE_TABLE, with what every route does, in the
 * real API's order as far as it is known: scripted faults, rate limiting (headers on every answer), then
 * authentication.
 */
export function apiRoute(router: Router, name: ApiRouteName, handler: ApiHandler): void {
  register(router, name, ROUTE_TABLE[name], handler);
}

/** Anything else under /api: the same faults, limits and authentication, then a 404 that lists where to look. */
export function unknownApiRoute(router: Router): void {
  register(router, 'unknown', { method: 'ALL', path: '/api/*rest', rateClass: 'normal' }, (ctx) => {
    throw new HttpError(
      404,
      `No such API route: ${ctx.req.method} ${ctx.req.originalUrl.split('?')[0]}. ` +
        'The mock serves the routes listed in its README.',
    );
  });
}

function register(
  router: Router,
  name: ApiRouteName | 'unknown',
  { method, path, rateClass }: { method: 'GET' | 'POST' | 'ALL'; path: string; rateClass: RateClass },
  handler: ApiHandler,
): void {
  const handle: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    res.locals.route = name;
    const state = stateOf(res);
    try {
      res.setHeader('Date', new Date(state.clock.now()).toUTCString());
      if (
        await applyRequestFaults(state.faults.take(name), req, res, {
          nowMs: state.clock.now(),
          limit: state.limiter.limits[rateClass],
        })
      )
        return;
      const token = bearerToken(req);
      const caller = token === undefined ? undefined : state.tokenRecord(token);
      const decision = state.limiter.take(caller ? caller.token : 'anonymous', rateClass);
      res.setHeader('X-RateLimit-Limit', String(decision.limit));
      res.setHeader('X-RateLimit-Remaining', String(decision.remaining));
      res.setHeader('X-RateLimit-Reset', String(decision.reset));
      if (!decision.allowed) throw new HttpError(429, 'Too many requests');
      if (!caller) throw new HttpError(401, 'Unauthorized');
      const { status = 200, body } = await handler({ state, caller, req, res });
      res.status(status).json(body);
    } catch (error) {
      next(error);
    }
  };
  if (method === 'GET') router.get(path, handle);
  else if (method === 'POST') router.post(path, handle);
  else router.all(path, handle);
}

export function requireProjectAccess(ctx: ApiContext, projectId: number): void {
  if (!ctx.caller.projects.includes(projectId)) throw new HttpError(403, 'Forbidden');
}

export function parseId(raw: unknown, what: string): number {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw notFound(what);
  return Number(raw);
}

/** The project, if it exists (404) and the caller may use it (403). */
export function projectFor(ctx: ApiContext, id: number): FixtureProject {
  const project = ctx.state.world.project(id);
  if (!project) throw notFound('Project');
  requireProjectAccess(ctx, id);
  return project;
}

export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new HttpError(400, `${name} must be given once`);
  return value;
}

export function queryInt(req: Request, name: string, fallback: number, max: number): number {
  const value = queryString(req, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw new HttpError(400, `${name} must be a non-negative integer`);
  return Math.min(Number(value), max);
}

/**
 * Where a job's archive is served: the request's own origin unless the mock was told of a CDN, under the
 * job's namespace prefix (a download client sends no namespace header), signed the way S3 URLs are (the query
 * carries X-Amz-Signature: a secret no message may show).
 */
export function archiveUrl(state: MockState, req: Request, path: string, jobId: number): string {
  const origin = state.options.downloadBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const signature = createHash('sha256').update(`${jobId}:${path}`).digest('hex');
  const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=${signature}`;
  return `${origin}${state.prefix}${path}?${query}`;
}
