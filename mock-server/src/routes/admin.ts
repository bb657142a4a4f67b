import { Router } from 'express';
import { type ClockMode, toEpochMs } from '../clock.js';
import { type FaultRule, validateFaultRule } from '../faults.js';
import { HttpError } from '../http-error.js';
import { type JobScenario, serializeJob, validateScenario } from '../jobs.js';
import { ORGANIZATION_LIMITS, type RateClass } from '../rate-limits.js';
import type { MockState } from '../state.js';

/** Turns a validation error of the admin API into a 400 that says what to fix. */
function validated<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, "Send a JSON object with 'Content-Type: application/json'");
  }
  return body as Record<string, unknown>;
}

/** The mock's own control API under /__mock: not part of PlayCanvas's API, not authenticated, not journaled. */
export function adminRouter(state: MockState): Router {
  const router = Router();

  router.get('/fixtures', (_req, res) => {
    res.json(state.fixtures);
  });

  router.get('/journal', (req, res) => {
    const since = Number(req.query.since ?? 0);
    res.json({ entries: state.journal.list().filter((e) => e.seq > (Number.isFinite(since) ? since : 0)) });
  });
  router.delete('/journal', (_req, res) => {
    state.journal.clear();
    res.json({ cleared: true });
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: state.faults.list() });
  });
  router.post('/faults', (req, res) => {
    const body = req.body as unknown;
    const rules = Array.isArray(body) ? body : [objectBody(body)];
    const valid = validated(() => rules.map((r) => validateFaultRule(r)));
    res.status(201).json({ ids: valid.map((rule: FaultRule) => state.faults.add(rule)) });
  });
  router.delete('/faults', (_req, res) => {
    state.faults.clear();
    res.json({ cleared: true });
  });

  router.get('/jobs', (_req, res) => {
    res.json({ jobs: state.jobs.all().map((j) => ({ ...serializeJob(j), polls: j.polls, scenario: j.scenario })) });
  });
  router.post('/scenarios', (req, res) => {
    const body = objectBody(req.body);
    if (body.default !== undefined) state.jobs.defaultScenario = validated(() => validateScenario(body.default));
    if (body.next !== undefined) {
      if (!Array.isArray(body.next)) throw new HttpError(400, 'next must be a list of scenarios, used one per new job');
      // queueScenarios validates each one
      validated(() => state.jobs.queueScenarios(body.next as JobScenario[]));
    }
    res.json({ default: state.jobs.defaultScenario });
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: state.clock.now(), iso: state.clock.iso(), mode: state.clock.mode });
  });
  router.post('/clock', (req, res) => {
    const body = objectBody(req.body);
    validated(() => {
      if (body.mode !== undefined) {
        if (body.mode !== 'frozen' && body.mode !== 'realtime') throw new Error('mode must be frozen or realtime');
        state.clock.setMode(body.mode as ClockMode);
      }
      if (body.set !== undefined) state.clock.set(toEpochMs(body.set as string | number));
      if (body.advance !== undefined) {
        if (typeof body.advance !== 'number' || !Number.isFinite(body.advance)) throw new Error('advance must be a number of milliseconds');
        state.clock.advance(body.advance);
      }
    });
    res.json({ now: state.clock.now(), iso: state.clock.iso(), mode: state.clock.mode });
  });

  router.get('/rate-limits', (_req, res) => {
    res.json({ limits: state.limiter.limits, windowMs: state.limiter.windowMs });
  });
  router.put('/rate-limits', (req, res) => {
    const body = objectBody(req.body);
    const limits = (body.limits ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(limits)) {
      if (!(key in ORGANIZATION_LIMITS)) throw new HttpError(400, `Unknown rate class ${key}; use ${Object.keys(ORGANIZATION_LIMITS).join(', ')}`);
      if (!Number.isSafeInteger(value) || (value as number) < 0) throw new HttpError(400, `limits.${key} must be a non-negative integer`);
      state.limiter.limits[key as RateClass] = value as number;
    }
    if (body.windowMs !== undefined) {
      if (!Number.isSafeInteger(body.windowMs) || (body.windowMs as number) < 1000)
        throw new HttpError(400, 'windowMs must be an integer of at least 1000');
      state.limiter.windowMs = body.windowMs as number;
    }
    state.limiter.reset();
    res.json({ limits: state.limiter.limits, windowMs: state.limiter.windowMs });
  });

  router.post('/reset', (_req, res) => {
    state.reset();
    res.json({ reset: true });
  });

  router.all('/*rest', (req, _res) => {
    throw new HttpError(404, `No such admin route: ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  return router;
}
