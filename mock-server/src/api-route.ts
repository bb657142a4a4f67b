import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Fault } from './faults.js';
import type { FixtureToken } from './fixtures.js';
import { HttpError } from './http-error.js';
import type { RateClass } from './rate-limits.js';
import type { MockState } from './state.js';

export interface ApiContext {
  state: MockState;
  caller: FixtureToken;
  req: Request;
  res: Response;
}

export type ApiHandler = (ctx: ApiContext) => Promise<{ status?: number; body: unknown }> | { status?: number; body: unknown };

/** Waits `ms`, but no longer than the client stays connected: a dropped request leaves no timer behind. */
function delay(ms: number, res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Applies the scripted faults of a route. Returns true when a fault answered (or dropped) the request.
 * `res.locals.fault` names what fired, for the journal.
 */
export async function applyFaults(faults: Fault[], req: Request, res: Response, state: MockState): Promise<boolean> {
  for (const fault of faults) {
    res.locals.fault = [res.locals.fault, fault.type].filter(Boolean).join(',');
    if (fault.type === 'latency') {
      await delay(fault.ms, res);
      if (res.destroyed || req.socket.destroyed) return true;
    } else if (fault.type === 'reset') {
      req.socket.resetAndDestroy();
      return true;
    } else if (fault.type === 'status') {
      if (fault.status === 429) {
        const reset = Math.floor(state.clock.now() / 1000) + (fault.resetIn ?? 1);
        res.setHeader('X-RateLimit-Limit', String(state.limiter.limits.normal));
        res.setHeader('X-RateLimit-Remaining', '0');
        res.setHeader('X-RateLimit-Reset', String(reset));
      }
      if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
      res.status(fault.status).json({ error: fault.error ?? defaultMessage(fault.status) });
      return true;
    }
  }
  return false;
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Too many requests';
  if (status === 500) return 'Internal server error';
  if (status === 502) return 'Bad gateway';
  if (status === 503) return 'Service unavailable';
  return `Injected error ${status}`;
}

/**
 * Wraps a PlayCanvas API handler with what every route does, in the real API's order as far as it is
 * known: scripted faults, rate limiting (headers on every answer), then authentication.
 */
export function apiRoute(state: MockState, route: string, rateClass: RateClass, handler: ApiHandler): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.route = route;
    try {
      res.setHeader('Date', new Date(state.clock.now()).toUTCString());
      if (await applyFaults(state.faults.take(route), req, res, state)) return;
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
}

export function requireProjectAccess(ctx: ApiContext, projectId: number): void {
  if (!ctx.caller.projects.includes(projectId)) throw new HttpError(403, 'Forbidden');
}
