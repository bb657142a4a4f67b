/**
 * Scripted faults, in WireMock's vocabulary: a rule matches a route, skips `after` matching requests,
 * then applies its fault to the next `times` of them (forever when `times` is absent).
 */
export type Fault =
  | { type: 'latency'; ms: number }
  | { type: 'status'; status: number; error?: string; retryAfter?: number; resetIn?: number }
  | { type: 'reset' }
  | { type: 'truncate'; bytes?: number }
  | { type: 'corrupt-zip' }
  | { type: 'hostile-entry'; entry: HostileEntry };

export type HostileEntry = { kind: 'file'; name: string } | { kind: 'symlink'; name: string; target: string };

export interface FaultRule {
  /** A route name from ROUTES, or '*' for every API and download route. */
  route: string;
  fault: Fault;
  after?: number;
  times?: number;
}

/** Route names used by fault rules and in the journal. */
export const ROUTES = [
  'apps.download',
  'jobs.get',
  'projects.export',
  'branches.list',
  'scenes.list',
  'apps.primary',
  'apps.list',
  'ratelimits',
  'download',
] as const;

export const BODY_FAULTS = new Set(['truncate', 'corrupt-zip', 'hostile-entry']);

interface ActiveRule extends FaultRule {
  id: number;
  seen: number;
  applied: number;
}

export class FaultError extends Error {
  override name = 'FaultError';
}

function check(condition: boolean, problem: string): void {
  if (!condition) throw new FaultError(`Invalid fault rule: ${problem}`);
}

/** Validates a rule from the admin API or from code, so a typo fails loudly instead of never firing. */
export function validateFaultRule(input: unknown): FaultRule {
  check(
    typeof input === 'object' && input !== null,
    'send an object like {"route": "jobs.get", "fault": {"type": "status", "status": 503}, "times": 1}',
  );
  const rule = input as Record<string, unknown>;
  check(
    rule.route === '*' || (ROUTES as readonly string[]).includes(rule.route as string),
    `route must be '*' or one of ${ROUTES.join(', ')}; got ${JSON.stringify(rule.route)}`,
  );
  for (const key of ['after', 'times'] as const) {
    check(rule[key] === undefined || (Number.isSafeInteger(rule[key]) && (rule[key] as number) >= 0), `${key} must be a non-negative integer`);
  }
  const fault = rule.fault as Record<string, unknown> | undefined;
  check(typeof fault === 'object' && fault !== null, 'fault must be an object with a type');
  const f = fault as Record<string, unknown>;
  switch (f.type) {
    case 'latency':
      check(Number.isSafeInteger(f.ms) && (f.ms as number) >= 0, 'latency needs ms, a non-negative integer');
      break;
    case 'status':
      check(
        Number.isSafeInteger(f.status) && (f.status as number) >= 400 && (f.status as number) <= 599,
        'status needs status, an HTTP error code from 400 to 599',
      );
      check(f.retryAfter === undefined || (Number.isSafeInteger(f.retryAfter) && (f.retryAfter as number) >= 0), 'retryAfter must be whole seconds');
      check(f.resetIn === undefined || (Number.isSafeInteger(f.resetIn) && (f.resetIn as number) >= 0), 'resetIn must be whole seconds');
      break;
    case 'reset':
    case 'corrupt-zip':
      break;
    case 'truncate':
      check(f.bytes === undefined || (Number.isSafeInteger(f.bytes) && (f.bytes as number) >= 0), 'truncate bytes must be a non-negative integer');
      break;
    case 'hostile-entry': {
      const entry = f.entry as Record<string, unknown> | undefined;
      check(
        typeof entry === 'object' && entry !== null && typeof entry.name === 'string' && entry.name !== '',
        'hostile-entry needs entry: {kind, name}',
      );
      const e = entry as Record<string, unknown>;
      check(e.kind === 'file' || (e.kind === 'symlink' && typeof e.target === 'string'), "entry.kind must be 'file' or 'symlink' (with target)");
      break;
    }
    default:
      check(false, `fault.type must be latency, status, reset, truncate, corrupt-zip or hostile-entry; got ${JSON.stringify(f.type)}`);
  }
  if (BODY_FAULTS.has(f.type as string)) {
    check(rule.route === 'download' || rule.route === '*', `${String(f.type)} applies to the download route only`);
  }
  return rule as unknown as FaultRule;
}

export class FaultPlan {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    const valid = validateFaultRule(rule);
    const id = this.nextId++;
    this.rules.push({ ...valid, id, seen: 0, applied: 0 });
    return id;
  }

  /** The faults that fire for this request, in the order they were added; counts the request against each rule. */
  take(route: string): Fault[] {
    const fired: Fault[] = [];
    for (const rule of this.rules) {
      if (rule.route !== '*' && rule.route !== route) continue;
      if (rule.route === '*' && BODY_FAULTS.has(rule.fault.type) && route !== 'download') continue;
      rule.seen += 1;
      if (rule.seen <= (rule.after ?? 0)) continue;
      if (rule.times !== undefined && rule.applied >= rule.times) continue;
      rule.applied += 1;
      fired.push(rule.fault);
    }
    return fired;
  }

  list(): Array<FaultRule & { id: number; seen: number; applied: number }> {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }
}
