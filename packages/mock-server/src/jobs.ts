import type { BuildSpec } from './builds/spec.js';
import type { MockClock } from './clock.js';

/** How a job ends: complete on its Nth poll or after a delay on the mock's clock; error; or run forever. */
export interface JobScenario {
  outcome: 'complete' | 'error' | 'running';
  /** Finish on this poll (1 = the first GET of the job). */
  polls?: number;
  /** Finish once the mock's clock is this many milliseconds past the job's creation. Wins over polls. */
  afterMs?: number;
  /** For outcome 'error': the job's messages. */
  messages?: string[];
}

export type JobStatus = 'running' | 'complete' | 'error';

export interface JobRecord {
  id: number;
  kind: 'download' | 'export' | 'checkpoint';
  projectId: number;
  createdAt: number;
  modifiedAt: number;
  status: JobStatus;
  messages: string[];
  data: Record<string, unknown>;
  polls: number;
  scenario: JobScenario;
  /** For builds and exports: what the archive holds. */
  build?: BuildSpec;
  /** Where a finished build's or export's archive is served. */
  resultUrl?: string;
  /** Runs once, when the job completes (a checkpoint job makes its checkpoint then). */
  onComplete?: (job: JobRecord) => void;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export function validateScenario(input: unknown): JobScenario {
  const fail = (problem: string): never => {
    throw new ScenarioError(
      `Invalid job scenario: ${problem}. Example: {"outcome": "error", "polls": 2, "messages": ["Could not export"]}`,
    );
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('send an object');
  const s = input as Record<string, unknown>;
  if (s.outcome !== 'complete' && s.outcome !== 'error' && s.outcome !== 'running') {
    fail(`outcome must be complete, error or running; got ${JSON.stringify(s.outcome)}`);
  }
  if (s.polls !== undefined && !(Number.isSafeInteger(s.polls) && (s.polls as number) >= 1))
    fail('polls must be an integer of at least 1');
  if (s.afterMs !== undefined && !(Number.isSafeInteger(s.afterMs) && (s.afterMs as number) >= 0))
    fail('afterMs must be a non-negative integer');
  if (s.messages !== undefined && !(Array.isArray(s.messages) && s.messages.every((m) => typeof m === 'string'))) {
    fail('messages must be an array of strings');
  }
  return s as unknown as JobScenario;
}

export const FIRST_JOB_ID = 500_001;

/**
 * Where job ids come from. One source serves every namespace of a server and a reset does not rewind it, so
 * an id names one job for the server's life: a client still polling a job from before a reset gets a 404,
 * never another run's job under the same number.
 */
export class JobIds {
  private next = FIRST_JOB_ID;

  take(): number {
    return this.next++;
  }

  /** Only for a mock whose owner asked for it (resetRestartsJobIds): back to the first id. */
  restart(): void {
    this.next = FIRST_JOB_ID;
  }
}

export class JobStore {
  private jobs = new Map<number, JobRecord>();
  private queued: JobScenario[] = [];

  constructor(
    private clock: MockClock,
    public defaultScenario: JobScenario,
    private readonly ids: JobIds,
  ) {}

  /**
   * The next created jobs follow these scenarios (checked by validateScenario), one each, before the default applies
   * again.
   */
  queueScenarios(scenarios: JobScenario[]): void {
    this.queued.push(...scenarios);
  }

  /** A record with its own `scenario` (a build the mock refuses, say) takes no queued one. */
  create(
    record: Pick<JobRecord, 'kind' | 'projectId' | 'data'> &
      Partial<Pick<JobRecord, 'build' | 'onComplete' | 'scenario'>>,
  ): JobRecord {
    const now = this.clock.now();
    const job: JobRecord = {
      ...record,
      id: this.ids.take(),
      createdAt: now,
      modifiedAt: now,
      status: 'running',
      messages: [],
      polls: 0,
      scenario: record.scenario ?? this.queued.shift() ?? this.defaultScenario,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: number): JobRecord | undefined {
    return this.jobs.get(id);
  }

  all(): JobRecord[] {
    return [...this.jobs.values()];
  }

  /** Counts a poll and moves the job on as its scenario says. Returns true when it just finished. */
  poll(job: JobRecord): boolean {
    job.polls += 1;
    if (job.status !== 'running' || job.scenario.outcome === 'running') return false;
    const { afterMs, polls } = job.scenario;
    const due = afterMs !== undefined ? this.clock.now() >= job.createdAt + afterMs : job.polls >= (polls ?? 1);
    if (!due) return false;
    job.status = job.scenario.outcome === 'error' ? 'error' : 'complete';
    job.modifiedAt = this.clock.now();
    if (job.status === 'error') job.messages = job.scenario.messages ?? ['Could not export'];
    else job.onComplete?.(job);
    return true;
  }

  /** Forgets the jobs and the queued scenarios; the ids go on (see JobIds). */
  reset(): void {
    this.jobs.clear();
    this.queued = [];
  }
}
