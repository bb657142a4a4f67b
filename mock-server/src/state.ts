import { ArchiveStore } from './builds/archive-store.js';
import { type ClockOptions, MockClock } from './clock.js';
import { FaultPlan } from './faults.js';
import type { Fixtures, FixtureToken, FixtureUser } from './fixtures.js';
import { type JobScenario, JobStore, validateScenario } from './jobs.js';
import { Journal, type JournalLimits } from './journal.js';
import { ORGANIZATION_LIMITS, RateLimiter, type RateLimits } from './rate-limits.js';
import { World } from './world.js';

export interface MockOptions {
  fixtures?: Fixtures;
  clock?: ClockOptions;
  /** Polls until a job completes, unless a scenario says otherwise. Default 3. */
  pollsToComplete?: number;
  /** The scenario of every job not given one through the admin API. */
  defaultScenario?: JobScenario;
  rateLimits?: Partial<RateLimits>;
  /** Rate-limit window length on the mock's clock. Default 60000 (one minute, as documented). */
  rateWindowMs?: number;
  /** Branches per page of GET /api/projects/:id/branches when the request gives no limit. Default 50. */
  branchPageSize?: number;
  /** Origin for download URLs (for testing a CDN on another host). Default: the origin the request came to. */
  downloadBaseUrl?: string;
  /** Largest accepted JSON body. Default '256kb'. */
  bodyLimit?: string;
  /** How much the request journal keeps. */
  journal?: JournalLimits;
  /** Called with one line per request (no credentials in it). */
  log?: (line: string) => void;
}

/** Everything the mock remembers; the admin API reads and changes it, reset() puts it back. */
export class MockState {
  readonly clock: MockClock;
  readonly jobs: JobStore;
  readonly limiter: RateLimiter;
  readonly world: World;
  readonly faults = new FaultPlan();
  readonly journal: Journal;
  readonly archives = new ArchiveStore();
  readonly startedWall = performance.now();
  private readonly initialScenario: JobScenario;

  constructor(
    readonly fixtures: Fixtures,
    readonly options: MockOptions,
  ) {
    this.clock = new MockClock(options.clock);
    this.initialScenario = validateScenario(options.defaultScenario ?? { outcome: 'complete', polls: options.pollsToComplete ?? 3 });
    this.jobs = new JobStore(this.clock, this.initialScenario);
    this.limiter = new RateLimiter(this.clock, { ...ORGANIZATION_LIMITS, ...options.rateLimits }, options.rateWindowMs ?? 60_000);
    this.world = new World(fixtures, this.clock);
    this.journal = new Journal(options.journal);
  }

  tokenRecord(token: string): FixtureToken | undefined {
    return this.fixtures.tokens.find((t) => t.token === token);
  }

  user(id: number): FixtureUser | undefined {
    return this.fixtures.users.find((u) => u.id === id);
  }

  /** Jobs, journal, faults, limits, created branches and checkpoints back to the start; the clock as MockClock.reset says. */
  reset(): void {
    this.jobs.reset();
    this.jobs.defaultScenario = this.initialScenario;
    this.limiter.reset();
    this.limiter.configure({ ...ORGANIZATION_LIMITS, ...this.options.rateLimits }, this.options.rateWindowMs ?? 60_000);
    this.faults.clear();
    this.journal.clear();
    this.world.reset();
    this.clock.reset(this.options.clock?.mode ?? 'frozen');
  }
}
