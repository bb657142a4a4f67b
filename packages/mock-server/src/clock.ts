/** The mock's notion of now. Frozen by default so timestamps repeat run after run; realtime for manual use. */
export type ClockMode = 'frozen' | 'realtime';

export interface ClockOptions {
  /** Where the clock starts: an ISO date or epoch milliseconds. Default 2026-01-01T00:00:00Z. */
  start?: string | number;
  mode?: ClockMode;
}

export const DEFAULT_CLOCK_START = Date.UTC(2026, 0, 1);
/** The clock stays between 1970 and the end of 9999: every date the mock prints (headers, JSON) must exist. */
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export class MockClock {
  private base: number;
  private wallBase = performance.now();
  /** The clock's start and the wall time it started at: where a real-time clock would be had nobody moved it. */
  readonly startedAt: number;
  private readonly startedWall = performance.now();

  constructor(
    options: ClockOptions = {},
    public mode: ClockMode = options.mode ?? 'frozen',
  ) {
    this.base = toEpochMs(options.start ?? DEFAULT_CLOCK_START);
    this.startedAt = this.base;
  }

  now(): number {
    if (this.mode === 'frozen') return this.base;
    return Math.min(LATEST, Math.floor(this.base + performance.now() - this.wallBase));
  }

  set(at: string | number): void {
    this.base = toEpochMs(at);
    this.wallBase = performance.now();
  }

  advance(ms: number): void {
    this.set(this.now() + ms);
  }

  setMode(mode: ClockMode): void {
    const now = this.now();
    this.mode = mode;
    this.set(now);
  }

  /**
   * Back to the start: a frozen clock to its start; a real-time one to the present it would show had nobody moved it.
   */
  reset(mode: ClockMode): void {
    this.mode = mode;
    this.set(mode === 'realtime' ? Math.floor(this.startedAt + performance.now() - this.startedWall) : this.startedAt);
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }
}

export function toEpochMs(at: unknown): number {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`not a date: ${String(at)}; give an ISO date or epoch milliseconds`);
  if (ms < 0 || ms > LATEST) throw new TypeError(`${String(at)} is outside the dates the mock can show (1970 to 9999)`);
  return Math.floor(ms);
}
