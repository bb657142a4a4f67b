import { type NextFunction, type Request, type Response, Router } from 'express';
import { type ClockMode, toEpochMs } from '../clock.js';
import { HttpError } from '../http-error.js';
import { validateScenario } from '../jobs.js';
import { DEFAULT_NAMESPACE, type Namespaces, stateOf } from '../namespaces.js';
import { ORGANIZATION_LIMITS, type RateClass, type RateLimits } from '../rate-limits.js';
import { jobBody } from '../serializers.js';

/** Turns a validation error of the admin API into a 400 that says what to fix. */
function validated<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, "Send a JSON object with 'Content-Type: application/json'");
  return body as Record<string, unknown>;
}

/**
 * Every request that changes something must say `Content-Type: application/json`, even without a body: a web
 * page can send a text/plain POST to any address without asking first, but not a JSON one.
 */
function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (req.method !== 'GET' && req.method !== 'HEAD' && type !== 'application/json') {
    next(
      new HttpError(
        415,
        "The admin API takes only 'Content-Type: application/json' for requests that change something (so a web page " +
          'cannot reset it)',
      ),
    );
    return;
  }
  next();
}

function checkLimits(input: unknown): Partial<RateLimits> {
  if (input === undefined) return {};
  const limits = objectBody(input);
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in ORGANIZATION_LIMITS))
      throw new HttpError(400, `Unknown rate class ${key}; use ${Object.keys(ORGANIZATION_LIMITS).join(', ')}`);
    if (!Number.isSafeInteger(value) || (value as number) < 0)
      throw new HttpError(400, `limits.${key} must be a non-negative integer`);
  }
  return limits as Partial<Record<RateClass, number>>;
}

/**
 * The mock's own control API under /__mock (and /ns/<name>/__mock): not part of PlayCanvas's API, not
 * authenticated, not journaled. For loopback use. Everything but the fixtures is the caller's namespace's.
 */
export function adminRouter(namespaces: Namespaces): Router {
  const router = Router();
  router.use(jsonOnly);

  router.get('/fixtures', (_req, res) => {
    res.json(stateOf(res).fixtures);
  });

  router.get('/namespace', (_req, res) => {
    const state = stateOf(res);
    res.json({ name: state.name, prefix: state.prefix });
  });
  router.delete('/namespace', (_req, res) => {
    const { name } = stateOf(res);
    if (name === DEFAULT_NAMESPACE)
      throw new HttpError(400, 'The default namespace cannot be dropped: POST /__mock/reset to reset it');
    res.json({ dropped: namespaces.drop(name) });
  });

  router.get('/journal', (req, res) => {
    const state = stateOf(res);
    const since = Number(req.query.since ?? 0);
    res.json({ entries: state.journal.list().filter((e) => e.seq > (Number.isFinite(since) ? since : 0)) });
  });
  router.delete('/journal', (_req, res) => {
    const state = stateOf(res);
    state.journal.clear();
    res.json({ cleared: true });
  });

  router.get('/faults', (_req, res) => {
    const state = stateOf(res);
    res.json({ faults: state.faults.list() });
  });
  router.post('/faults', (req, res) => {
    const state = stateOf(res);
    const body = req.body as unknown;
    const rules = Array.isArray(body) ? body : [objectBody(body)];
    res.status(201).json({ ids: validated(() => state.faults.add(...rules)) });
  });
  router.delete('/faults', (_req, res) => {
    const state = stateOf(res);
    state.faults.clear();
    res.json({ cleared: true });
  });

  router.get('/jobs', (_req, res) => {
    const state = stateOf(res);
    res.json({ jobs: state.jobs.all().map((j) => ({ ...jobBody(j), polls: j.polls, scenario: j.scenario })) });
  });
  router.post('/scenarios', (req, res) => {
    const state = stateOf(res);
    const body = objectBody(req.body);
    if (body.next !== undefined && !Array.isArray(body.next))
      throw new HttpError(400, 'next must be a list of scenarios, used one per new job');
    // All checked first, then applied: a bad scenario changes nothing.
    const fallback = body.default === undefined ? undefined : validated(() => validateScenario(body.default));
    const next = validated(() => ((body.next as unknown[] | undefined) ?? []).map(validateScenario));
    if (fallback) state.jobs.defaultScenario = fallback;
    state.jobs.queueScenarios(next);
    res.json({ default: state.jobs.defaultScenario });
  });

  router.get('/clock', (_req, res) => {
    const state = stateOf(res);
    res.json({ now: state.clock.now(), iso: state.clock.iso(), mode: state.clock.mode });
  });
  router.post('/clock', (req, res) => {
    const state = stateOf(res);
    const body = objectBody(req.body);
    validated(() => {
      if (body.mode !== undefined && body.mode !== 'frozen' && body.mode !== 'realtime')
        throw new Error('mode must be frozen or realtime');
      const set = body.set === undefined ? undefined : toEpochMs(body.set);
      if (body.advance !== undefined && (typeof body.advance !== 'number' || !Number.isFinite(body.advance)))
        throw new Error('advance must be a number of milliseconds');
      const advanced =
        body.advance === undefined ? undefined : toEpochMs((set ?? state.clock.now()) + (body.advance as number));
      if (body.mode !== undefined) state.clock.setMode(body.mode as ClockMode);
      const at = advanced ?? set;
      if (at !== undefined) state.clock.set(at);
    });
    res.json({ now: state.clock.now(), iso: state.clock.iso(), mode: state.clock.mode });
  });

  router.get('/rate-limits', (_req, res) => {
    const state = stateOf(res);
    res.json({ limits: state.limiter.limits, windowMs: state.limiter.windowMs });
  });
  router.put('/rate-limits', (req, res) => {
    const state = stateOf(res);
    const body = objectBody(req.body);
    const limits = checkLimits(body.limits);
    if (
      body.windowMs !== undefined &&
      (!Number.isSafeInteger(body.windowMs) ||
        (body.windowMs as number) < 1000 ||
        (body.windowMs as number) > 86_400_000)
    )
      throw new HttpError(400, 'windowMs must be an integer from 1000 to 86400000');
    // All checked above; applied together.
    state.limiter.configure(
      { ...state.limiter.limits, ...limits },
      (body.windowMs as number | undefined) ?? state.limiter.windowMs,
    );
    res.json({ limits: state.limiter.limits, windowMs: state.limiter.windowMs });
  });

  router.post('/reset', (_req, res) => {
    const state = stateOf(res);
    state.reset();
    res.json({ reset: true });
  });

  router.all('/*rest', (req, _res) => {
    throw new HttpError(404, `No such admin route: ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  return router;
}
