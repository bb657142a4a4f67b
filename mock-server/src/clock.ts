/** The mock's notion of now. Frozen by default so timestamps repeat run after run; realtime for manual use. */
export type ClockMode = 'frozen' | 'realtime';

export interface ClockOptions {
  /** Where the clock starts: an ISO date or epoch milliseconds. Default 2026-01-01T00:00:00Z. */
  start?: string | number;
  mode?: ClockMode;
}

export const DEFAULT_CLOCK_START = Date.UTC(2026, 0, 1);

export class MockClock {
  private base: number;
  private wallBase = performance.now();
  readonly startedAt: number;

  constructor(
    options: ClockOptions = {},
    public mode: ClockMode = options.mode ?? 'frozen',
  ) {
    this.base = toEpochMs(options.start ?? DEFAULT_CLOCK_START);
    this.startedAt = this.base;
  }

  now(): number {
    if (this.mode === 'frozen') return this.base;
    return Math.floor(this.base + performance.now() - this.wallBase);
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

  iso(): string {
    return new Date(this.now()).toISOString();
  }
}

export function toEpochMs(at: string | number): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new TypeError(`not a date: ${String(at)}; give an ISO date or epoch milliseconds`);
  return ms;
}
