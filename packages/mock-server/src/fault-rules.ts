import { ROUTE_NAMES, type RouteName } from './routes/table.js';

/**
 * What a fault is, in WireMock's vocabulary, and how a rule is checked (once, when scripted). A rule matches
 * a route, lets `after` matching requests through, then applies its fault to the next `times` of them
 * (forever when `times` is absent). faults.ts says which rules fire and how they shape the answer.
 */
export type Fault =
  | { type: 'latency'; ms: number }
  | { type: 'status'; status: number; error?: string; retryAfter?: number; resetIn?: number }
  | { type: 'reset' }
  | { type: 'truncate'; bytes?: number }
  | { type: 'corrupt-zip' }
  | { type: 'hostile-entry'; entry: HostileEntry }
  | { type: 'endless' }
  | { type: 'gzip-bomb'; bytes: number }
  | { type: 'bandwidth'; bytesPerSecond: number }
  | { type: 'no-ranges'; suffix?: boolean }
  | { type: 'corrupt-entry'; entry: string }
  | { type: 'size-lie'; entry: string; size: number }
  | { type: 'body'; body: unknown; status?: number };

export type HostileEntry = { kind: 'file'; name: string } | { kind: 'symlink'; name: string; target: string };

export interface FaultRule {
  /** A route name from ROUTE_TABLE, or '*' for every API and download route. */
  route: RouteName | '*';
  fault: Fault;
  after?: number;
  times?: number;
}

/** Faults that shape the archive's body: the download route only. */
const BODY_FAULT_TYPES = [
  'truncate',
  'corrupt-zip',
  'corrupt-entry',
  'size-lie',
  'hostile-entry',
  'endless',
  'gzip-bomb',
  'bandwidth',
  'no-ranges',
] as const satisfies ReadonlyArray<Fault['type']>;
export const BODY_FAULTS: ReadonlySet<Fault['type']> = new Set(BODY_FAULT_TYPES);
const FAULT_TYPES: ReadonlyArray<Fault['type']> = ['latency', 'status', 'reset', 'body', ...BODY_FAULT_TYPES];

/**
 * Bounds on what a rule may ask, checked when it is scripted, so that no rule can break the answers it
 * shapes (a 70,000-byte entry name does not fit a zip header: every download would fail).
 */
export const FAULT_LIMITS = {
  /** Latency: an hour; longer is a mistake (and Node fires timers over 2^31-1 ms at once). */
  delayMs: 3_600_000,
  /** `after`, `times`. */
  count: 1_000_000_000,
  /** Entry names and symlink targets, in UTF-8 bytes (a zip header holds at most 65,535). */
  nameBytes: 4096,
  /** An injected error message, in characters. */
  textChars: 10_000,
  /** A `body` fault's JSON, in bytes. */
  bodyBytes: 1024 * 1024,
  /** A gzip bomb's decoded size (4 GiB takes the mock about 11 s of CPU to make). */
  bombBytes: 2 ** 32,
  /** Byte counts and rates: 1 TiB. */
  bytes: 2 ** 40,
  /** `retryAfter` and `resetIn`, seconds. */
  seconds: 1_000_000_000,
} as const;

export class FaultError extends Error {
  override name = 'FaultError';
}

function check(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new FaultError(`Invalid fault rule: ${problem}`);
}

const wholeNumber = (value: unknown, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max;

/** An entry name or link target: a non-empty string of at most FAULT_LIMITS.nameBytes UTF-8 bytes. */
function checkName(value: unknown, field: string, what: string): void {
  check(typeof value === 'string' && value !== '', `${field} must be ${what}, a non-empty string`);
  const bytes = Buffer.byteLength(value);
  check(bytes <= FAULT_LIMITS.nameBytes, `${field} is ${bytes} bytes long; at most ${FAULT_LIMITS.nameBytes} (UTF-8)`);
}

/** The JSON a body fault answers with: it must serialize, within FAULT_LIMITS.bodyBytes. */
function checkBody(body: unknown): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (error) {
    check(false, `fault.body cannot be sent as JSON: ${(error as Error).message}`);
  }
  check(text !== undefined, 'body needs body, the JSON to answer with');
  const bytes = Buffer.byteLength(text);
  check(bytes <= FAULT_LIMITS.bodyBytes, `fault.body is ${bytes} bytes as JSON; at most ${FAULT_LIMITS.bodyBytes}`);
}

/** Validates a rule from the admin API or from code, so a typo fails loudly instead of never firing. */
export function validateFaultRule(input: unknown): FaultRule {
  check(
    typeof input === 'object' && input !== null && !Array.isArray(input),
    'send an object like {"route": "jobs.get", "fault": {"type": "status", "status": 503}, "times": 1}',
  );
  const rule = input as Record<string, unknown>;
  check(
    rule.route === '*' || (ROUTE_NAMES as string[]).includes(rule.route as string),
    `route must be '*' or one of ${ROUTE_NAMES.join(', ')}; got ${JSON.stringify(rule.route)}`,
  );
  for (const key of ['after', 'times'] as const) {
    check(
      rule[key] === undefined || wholeNumber(rule[key], FAULT_LIMITS.count),
      `${key} must be an integer from 0 to ${FAULT_LIMITS.count}`,
    );
  }
  const f = rule.fault as Record<string, unknown> | undefined;
  check(typeof f === 'object' && f !== null, 'fault must be an object with a type');
  switch (f.type) {
    case 'latency':
      check(
        wholeNumber(f.ms, FAULT_LIMITS.delayMs),
        `latency needs ms, a non-negative integer up to ${FAULT_LIMITS.delayMs}`,
      );
      break;
    case 'status':
      check(
        Number.isSafeInteger(f.status) && (f.status as number) >= 400 && (f.status as number) <= 599,
        'status needs status, an HTTP error code from 400 to 599',
      );
      check(
        f.retryAfter === undefined || wholeNumber(f.retryAfter, FAULT_LIMITS.seconds),
        `retryAfter must be whole seconds, at most ${FAULT_LIMITS.seconds}`,
      );
      check(
        f.resetIn === undefined || wholeNumber(f.resetIn, FAULT_LIMITS.seconds),
        `resetIn must be whole seconds, at most ${FAULT_LIMITS.seconds}`,
      );
      check(f.error === undefined || typeof f.error === 'string', 'error must be a string');
      check(
        f.error === undefined || (f.error as string).length <= FAULT_LIMITS.textChars,
        `fault.error is ${(f.error as string | undefined)?.length} characters long; at most ${FAULT_LIMITS.textChars}`,
      );
      break;
    case 'reset':
    case 'corrupt-zip':
    case 'endless':
      break;
    case 'truncate':
      check(
        f.bytes === undefined || wholeNumber(f.bytes, FAULT_LIMITS.bytes),
        `truncate bytes must be an integer from 0 to ${FAULT_LIMITS.bytes}`,
      );
      break;
    case 'corrupt-entry':
      checkName(f.entry, 'fault.entry', 'the name of the entry whose bytes to alter');
      break;
    case 'size-lie':
      checkName(f.entry, 'fault.entry', 'the name of the entry whose size to misstate');
      check(
        wholeNumber(f.size, 0xffffffff),
        'size-lie needs size, the uncompressed size to declare (up to 4294967295)',
      );
      break;
    case 'body':
      check(
        f.status === undefined ||
          (Number.isSafeInteger(f.status) && (f.status as number) >= 200 && (f.status as number) <= 599),
        'status must be an HTTP status',
      );
      checkBody(f.body);
      break;
    case 'gzip-bomb':
      check(
        wholeNumber(f.bytes, FAULT_LIMITS.bombBytes) && (f.bytes as number) > 0,
        `gzip-bomb needs bytes, the size of the decoded body, from 1 to ${FAULT_LIMITS.bombBytes}`,
      );
      break;
    case 'bandwidth':
      check(
        wholeNumber(f.bytesPerSecond, FAULT_LIMITS.bytes) && (f.bytesPerSecond as number) >= 1024,
        `bandwidth needs bytesPerSecond, an integer of at least 1024 (at most ${FAULT_LIMITS.bytes})`,
      );
      break;
    case 'no-ranges':
      check(
        f.suffix === undefined || typeof f.suffix === 'boolean',
        'no-ranges takes suffix, true to refuse only suffix ranges (bytes=-N)',
      );
      break;
    case 'hostile-entry': {
      const entry = f.entry as Record<string, unknown> | undefined;
      check(typeof entry === 'object' && entry !== null, 'hostile-entry needs entry: {kind, name}');
      checkName(entry.name, 'fault.entry.name', 'the name of the hostile entry');
      check(
        entry.kind === 'file' || (entry.kind === 'symlink' && typeof entry.target === 'string'),
        "entry.kind must be 'file' or 'symlink' (with target)",
      );
      if (entry.kind === 'symlink') checkName(entry.target, 'fault.entry.target', 'where the link points');
      break;
    }
    default:
      check(
        false,
        `fault.type must be ${FAULT_TYPES.slice(0, -1).join(', ')} or ${FAULT_TYPES.at(-1)}; ` +
          `got ${JSON.stringify(f.type)}`,
      );
  }
  if (BODY_FAULTS.has(f.type as Fault['type']))
    check(rule.route === 'download' || rule.route === '*', `${String(f.type)} applies to the download route only`);
  if (f.type === 'body') check(rule.route !== 'download' && rule.route !== '*', 'body applies to one API route');
  return rule as unknown as FaultRule;
}
