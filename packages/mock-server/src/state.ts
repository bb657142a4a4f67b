import type { ArchiveStore } from './builds/archive-store.js';
import { type ClockOptions, MockClock } from './clock.js';
import { FaultPlan } from './faults.js';
import type { Fixtures, FixtureToken, FixtureUser } from './fixtures.js';
import { JobIds, type JobScenario, JobStore, validateScenario } from './jobs.js';
import { Journal, type JournalLimits } from './journal.js';
import { ORGANIZATION_LIMITS, RateLimiter, type RateLimits } from './rate-limits.js';
import { World } from './world.js';

export interface NamespaceLimits {
  /** Most namespaces besides the default one. Default 100. */
  max?: number;
  /** A namespace unused this long (wall clock) may go to make room for a new one. Default 600000. */
  idleMs?: number;
}

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
  bodyLimit?: string | number;
  /** How much the request journal keeps (each namespace its own). */
  journal?: JournalLimits;
  /** Called with one line per request (no credentials in it); false or absent: no log. */
  log?: ((line: string) => void) | false;
  /**
   * Default false: job ids go on after a reset, so an id never names two jobs. True: a reset starts them again
   * at 500001, each namespace on its own: only for a mock one sequential test file owns, never a shared one.
   */
  resetRestartsJobIds?: boolean;
  /** How many namespaces the mock keeps, and when an idle one may go. */
  namespaces?: NamespaceLimits;
}

/** What the namespaces of one server share: fixtures, options, the archive cache, the job ids. */
export interface SharedState {
  readonly fixtures: Fixtures;
  readonly options: MockOptions;
  readonly archives: ArchiveStore;
  /** performance.now() when the server started. */
  readonly startedWall: number;
  readonly jobIds: JobIds;
}

/**
 * Everything one namespace remembers (its jobs, journal, faults, clock, rate windows, branches and
 * checkpoints); the admin API reads and changes it, reset() puts it back. The fixtures and archives are shared.
 */
export class MockState {
  readonly clock: MockClock;
  readonly jobs: JobStore;
  readonly limiter: RateLimiter;
  readonly world: World;
  readonly faults = new FaultPlan();
  readonly journal: Journal;
  /** performance.now() of the last request in this namespace. */
  lastUsedWall = performance.now();
  private readonly initialScenario: JobScenario;
  private readonly ownIds: JobIds | undefined;

  constructor(
    private readonly shared: SharedState,
    /** The namespace's name; 'default' for requests that name none. */
    readonly name: string,
    /** Where the URLs of this namespace start: '' for the default one, else /ns/<name>. */
    readonly prefix: string,
    clock: ClockOptions = shared.options.clock ?? {},
  ) {
    const { options } = shared;
    this.clock = new MockClock(clock);
    this.initialScenario = validateScenario(
      options.defaultScenario ?? { outcome: 'complete', polls: options.pollsToComplete ?? 3 },
    );
    this.ownIds = options.resetRestartsJobIds ? new JobIds() : undefined;
    this.jobs = new JobStore(this.clock, this.initialScenario, this.ownIds ?? shared.jobIds);
    this.limiter = new RateLimiter(
      this.clock,
      { ...ORGANIZATION_LIMITS, ...options.rateLimits },
      options.rateWindowMs ?? 60_000,
    );
    this.world = new World(shared.fixtures, this.clock);
    this.journal = new Journal(options.journal);
  }

  get fixtures(): Fixtures {
    return this.shared.fixtures;
  }

  get options(): MockOptions {
    return this.shared.options;
  }

  get archives(): ArchiveStore {
    return this.shared.archives;
  }

  get startedWall(): number {
    return this.shared.startedWall;
  }

  tokenRecord(token: string): FixtureToken | undefined {
    return this.fixtures.tokens.find((t) => t.token === token);
  }

  user(id: number): FixtureUser | undefined {
    return this.fixtures.users.find((u) => u.id === id);
  }

  /**
   * Jobs, journal, faults, limits, created branches and checkpoints back to the start; the clock as
   * MockClock.reset says. Job ids go on (unless resetRestartsJobIds). Other namespaces are not touched.
   */
  reset(): void {
    this.jobs.reset();
    this.ownIds?.restart();
    this.jobs.defaultScenario = this.initialScenario;
    this.limiter.reset();
    this.limiter.configure({ ...ORGANIZATION_LIMITS, ...this.options.rateLimits }, this.options.rateWindowMs ?? 60_000);
    this.faults.clear();
    this.journal.clear();
    this.world.reset();
    this.clock.reset(this.options.clock?.mode ?? 'frozen');
  }
}
