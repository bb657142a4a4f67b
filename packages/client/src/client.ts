import { createHash } from 'node:crypto';
import { type BuildOptions, type ExportOptions, toDownloadBody, validateBuildOptions, validateExportOptions } from './build-options.js';
import { type ConnectionOptions, resolveConnection } from './config.js';
import { type DownloadedArchive, downloadArchive } from './download.js';
import { ApiError, ConfigError, DownloadError, JobFailedError } from './errors.js';
import { Transport } from './http.js';
import { archiveUrlOf, isJob, type Job } from './job.js';
import { DEFAULT_POLL, type PollOptions, paceForBudget, pollDelay } from './poll-schedule.js';
import type { ProgressEvent, ProgressListener } from './progress.js';
import { budgetFor, type RateClass } from './rate-budget.js';
import { type Branch, pickBranch, resolveScenes, type Scene } from './resolve.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { sleep, withDeadline } from './timing.js';

export const CLIENT_VERSION = '0.1.0';
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export interface ClientOptions extends ConnectionOptions {
  /** Per-request timeout, ms. Default 30000. */
  requestTimeout?: number;
  retry?: Partial<RetryPolicy>;
  poll?: Partial<PollOptions>;
  /** A download that delivers no byte for this long is retried, ms. Default 60000. */
  stallTimeout?: number;
  /** Where downloads go (in a private folder of their own). Default: the OS temp folder. */
  tempDir?: string;
  /** Told of every job status change, rate-limit wait, retry and download progress. */
  onProgress?: ProgressListener;
  /** A fetch implementation, e.g. one with a proxy dispatcher. Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface RunOptions {
  /** Milliseconds for the whole call. Default: 30 minutes for build and export, none for single requests. */
  timeout?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface BuildResult {
  job: Job;
  archive: DownloadedArchive;
}

interface Internals {
  /** Holds the connection (token included) and the retry policy. */
  transport: Transport;
  poll: PollOptions;
  options: ClientOptions;
}

/** Kept out of the client object, so no inspect or JSON of it can show the token. */
const internals = new WeakMap<PlayCanvasClient, Internals>();

function positiveNumber(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new ConfigError(`Option ${option} must be a positive number of milliseconds; got ${JSON.stringify(value)}`, option);
  return value;
}

function checkPartial<T extends object>(value: unknown, defaults: T, option: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null)
    throw new ConfigError(`Option ${option} must be an object with ${Object.keys(defaults).join(', ')}`, option);
  for (const [key, v] of Object.entries(value)) {
    if (!(key in defaults)) throw new ConfigError(`Option ${option}.${key} is unknown; use ${Object.keys(defaults).join(', ')}`, `${option}.${key}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new ConfigError(`Option ${option}.${key} must be a non-negative number; got ${JSON.stringify(v)}`, `${option}.${key}`);
  }
  return value as Partial<T>;
}

function archiveFileName(url: string, fallback: string): string {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    if (/^[\w.-]{1,120}\.zip$/.test(last)) return last;
  } catch {
    // fall through to the fallback name
  }
  return fallback;
}

export class PlayCanvasClient {
  /** The API origin in use, such as https://playcanvas.com */
  readonly origin: string;

  constructor(options: ClientOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new ConfigError('Client options must be an object');
    const connection = resolveConnection(options);
    const requestTimeoutMs = positiveNumber(options.requestTimeout, 'requestTimeout') ?? 30_000;
    positiveNumber(options.stallTimeout, 'stallTimeout');
    const policy = { ...DEFAULT_RETRY_POLICY, ...checkPartial(options.retry, DEFAULT_RETRY_POLICY, 'retry') };
    const poll = { ...DEFAULT_POLL, ...checkPartial(options.poll, DEFAULT_POLL, 'poll') };
    if (poll.factor < 1) throw new ConfigError('Option poll.factor must be at least 1', 'poll.factor');
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
      throw new ConfigError('Option onProgress must be a function', 'onProgress');
    if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new ConfigError('Option fetch must be a function', 'fetch');
    if (options.allowInsecureHttp !== undefined && typeof options.allowInsecureHttp !== 'boolean') {
      throw new ConfigError(`Option allowInsecureHttp must be true or false; got ${JSON.stringify(options.allowInsecureHttp)}`, 'allowInsecureHttp');
    }
    if (options.tempDir !== undefined && (typeof options.tempDir !== 'string' || options.tempDir === ''))
      throw new ConfigError('Option tempDir must be a folder path', 'tempDir');
    this.origin = connection.origin;
    const fingerprint = createHash('sha256').update(connection.token).digest('hex').slice(0, 16);
    const transport = new Transport({
      connection,
      budget: budgetFor(connection.origin, fingerprint),
      policy,
      requestTimeoutMs,
      fetch: options.fetch ?? globalThis.fetch,
      userAgent: `playcanvas-rest-client/${CLIENT_VERSION} node/${process.versions.node}`,
    });
    internals.set(this, { transport, poll, options });
  }

  private get my(): Internals {
    return internals.get(this) as Internals;
  }

  private listener(run: RunOptions | undefined): ProgressListener | undefined {
    const a = this.my.options.onProgress;
    const b = run?.onProgress;
    if (!a || !b) return a ?? b;
    return (event: ProgressEvent) => {
      a(event);
      b(event);
    };
  }

  private get<T>(path: string, route: string, signal: AbortSignal, run: RunOptions | undefined, subject?: string): Promise<T> {
    return this.my.transport.request<T>({
      method: 'GET',
      path,
      route,
      rateClass: 'normal',
      idempotent: true,
      signal,
      onProgress: this.listener(run),
      subject,
    });
  }

  private post<T>(
    path: string,
    route: string,
    body: unknown,
    rateClass: RateClass,
    signal: AbortSignal,
    run: RunOptions | undefined,
    subject?: string,
  ): Promise<T> {
    return this.my.transport.request<T>({
      method: 'POST',
      path,
      route,
      body,
      rateClass,
      idempotent: false,
      signal,
      onProgress: this.listener(run),
      subject,
    });
  }

  /** Every open branch of a project, following the cursor pages. */
  listBranches(projectId: number, run?: RunOptions): Promise<Branch[]> {
    validateExportOptions({ projectId });
    return withDeadline(`listing the branches of project ${projectId}`, run ?? {}, (signal) => this.branchPages(projectId, signal, run, () => false));
  }

  /** Reads branch pages until `stop` is true for a branch of the last page read, or no page is left. */
  private async branchPages(
    projectId: number,
    signal: AbortSignal,
    run: RunOptions | undefined,
    stop: (branch: Branch) => boolean,
  ): Promise<Branch[]> {
    const all: Branch[] = [];
    let skip: string | undefined;
    for (;;) {
      const query = skip ? `?skip=${encodeURIComponent(skip)}` : '';
      const res = await this.get<{ result: Branch[]; pagination?: { hasMore?: boolean } }>(
        `/api/projects/${projectId}/branches${query}`,
        '/api/projects/:id/branches',
        signal,
        run,
        `project ${projectId}`,
      );
      all.push(...res.result);
      const last = res.result[res.result.length - 1];
      if (res.result.some(stop) || !res.pagination?.hasMore || !last || last.id === skip) return all;
      skip = last.id;
    }
  }

  listScenes(projectId: number, options: { branchId?: string } & RunOptions = {}): Promise<Scene[]> {
    validateExportOptions({ projectId, branchId: options.branchId });
    return withDeadline(`listing the scenes of project ${projectId}`, options, async (signal) => {
      const query = options.branchId ? `?branchId=${encodeURIComponent(options.branchId)}` : '';
      const res = await this.get<{ result: Scene[] }>(
        `/api/projects/${projectId}/scenes${query}`,
        '/api/projects/:id/scenes',
        signal,
        options,
        `project ${projectId}`,
      );
      return res.result;
    });
  }

  /** This token's limits per rate class, requests per minute. */
  getRateLimits(run?: RunOptions): Promise<Record<string, number>> {
    return withDeadline(
      'reading the rate limits',
      run ?? {},
      async (signal) => (await this.get<{ limits: Record<string, number> }>('/api/ratelimits', '/api/ratelimits', signal, run)).limits,
    );
  }

  private async branchIdFor(
    projectId: number,
    options: { branchId?: string; branch?: string },
    signal: AbortSignal,
    run: RunOptions | undefined,
  ): Promise<string | undefined> {
    if (options.branch === undefined) return options.branchId;
    const name = options.branch;
    const branches = await this.branchPages(projectId, signal, run, (b) => b.name === name);
    return pickBranch(branches, name, projectId).id;
  }

  /** Starts a build (POST /api/apps/download) after resolving branch and scene names; resolves to the running job. */
  startBuild(options: BuildOptions, run?: RunOptions): Promise<Job> {
    validateBuildOptions(options);
    return withDeadline(`starting a build of project ${options.projectId}`, run ?? {}, (signal) => this.startBuildIn(options, signal, run));
  }

  private async startBuildIn(options: BuildOptions, signal: AbortSignal, run: RunOptions | undefined): Promise<Job> {
    const branchId = await this.branchIdFor(options.projectId, options, signal, run);
    let sceneIds: number[];
    if (options.scenes.some((s) => typeof s === 'string')) {
      const scenes = await this.listScenes(options.projectId, { branchId, ...run, signal, timeout: undefined });
      sceneIds = resolveScenes(options.scenes, scenes, options.projectId);
    } else {
      sceneIds = options.scenes as number[];
    }
    return this.createJob(
      'build',
      { path: '/api/apps/download', route: '/api/apps/download', body: toDownloadBody(options, sceneIds, branchId) },
      `project ${options.projectId}, its scenes ${sceneIds.join(', ')}${branchId ? ` and branch ${branchId}` : ''}`,
      signal,
      run,
    );
  }

  /** POSTs a request that starts a job (strict class), checks that a job came back, reports it. */
  private async createJob(
    kind: 'build' | 'export',
    request: { path: string; route: string; body: unknown },
    subject: string,
    signal: AbortSignal,
    run: RunOptions | undefined,
  ): Promise<Job> {
    const job = await this.post<unknown>(request.path, request.route, request.body, 'strict', signal, run, subject);
    if (!isJob(job)) {
      throw new ApiError(
        `PlayCanvas API: POST ${request.route} answered without a job id: the API may have changed; report it`,
        200,
        undefined,
        'POST',
        request.route,
      );
    }
    this.listener(run)?.({ type: 'job-started', jobId: job.id, kind });
    return job;
  }

  /** Starts a project export (POST /api/projects/:id/export); resolves to the running job. */
  startExport(options: ExportOptions, run?: RunOptions): Promise<Job> {
    validateExportOptions(options);
    return withDeadline(`starting an export of project ${options.projectId}`, run ?? {}, (signal) => this.startExportIn(options, signal, run));
  }

  private async startExportIn(options: ExportOptions, signal: AbortSignal, run: RunOptions | undefined): Promise<Job> {
    const branchId = await this.branchIdFor(options.projectId, options, signal, run);
    return this.createJob(
      'export',
      { path: `/api/projects/${options.projectId}/export`, route: '/api/projects/:id/export', body: branchId ? { branch_id: branchId } : {} },
      `project ${options.projectId}${branchId ? ` and branch ${branchId}` : ''}`,
      signal,
      run,
    );
  }

  getJob(jobId: number, run?: RunOptions): Promise<Job> {
    if (!Number.isSafeInteger(jobId) || jobId <= 0) throw new ConfigError(`A job id is a positive integer; got ${JSON.stringify(jobId)}`, 'jobId');
    return withDeadline(`reading job ${jobId}`, run ?? {}, (signal) => this.getJobIn(jobId, signal, run));
  }

  private async getJobIn(jobId: number, signal: AbortSignal, run: RunOptions | undefined): Promise<Job> {
    const job = await this.get<unknown>(`/api/jobs/${jobId}`, '/api/jobs/:id', signal, run, `job ${jobId}`);
    if (!isJob(job))
      throw new ApiError(
        `PlayCanvas API: GET /api/jobs/${jobId} answered something that is not a job: the API may have changed; report it`,
        200,
        undefined,
        'GET',
        '/api/jobs/:id',
      );
    return job;
  }

  /**
   * Polls the job until it completes (resolves to it) or fails (JobFailedError): soon at first, then backing off,
   * and slower when the rate budget runs low.
   */
  waitForJob(jobId: number, run: RunOptions = {}): Promise<Job> {
    if (!Number.isSafeInteger(jobId) || jobId <= 0) throw new ConfigError(`A job id is a positive integer; got ${JSON.stringify(jobId)}`, 'jobId');
    return withDeadline({ what: `waiting for job ${jobId} to finish`, jobId }, { timeout: DEFAULT_TIMEOUT_MS, ...run }, (signal) =>
      this.waitIn(jobId, signal, run),
    );
  }

  private async waitIn(jobId: number, signal: AbortSignal, run: RunOptions | undefined): Promise<Job> {
    const { poll, transport } = this.my;
    let last: string | undefined;
    for (let n = 0; ; n++) {
      await sleep(paceForBudget(pollDelay(poll, n), transport.options.budget.snapshot('normal')), signal);
      const job = await this.getJobIn(jobId, signal, run);
      if (job.status !== last) {
        last = job.status;
        this.listener(run)?.({ type: 'job-status', jobId, status: job.status, polls: n + 1 });
      }
      if (job.status === 'complete') return job;
      if (job.status === 'error') {
        const messages = Array.isArray(job.messages) ? job.messages.map(String) : [];
        throw new JobFailedError(
          `PlayCanvas job ${jobId} failed: ${messages.join('; ') || 'no reason given'}. Check that the project builds from the Editor (scripts, engine version), then try again`,
          jobId,
          messages,
        );
      }
    }
  }

  /** Downloads a finished job's archive (or an archive URL) to a temp file. Call dispose() when done with it. */
  download(jobOrUrl: Job | string, run?: RunOptions): Promise<DownloadedArchive> {
    return withDeadline('downloading the archive', run ?? {}, (signal) => this.downloadIn(jobOrUrl, signal, run));
  }

  private downloadIn(jobOrUrl: Job | string, signal: AbortSignal, run: RunOptions | undefined): Promise<DownloadedArchive> {
    const url = typeof jobOrUrl === 'string' ? jobOrUrl : archiveUrlOf(jobOrUrl);
    if (!url) {
      const id = typeof jobOrUrl === 'string' ? '' : ` ${jobOrUrl.id}`;
      throw new DownloadError(`Job${id} has no archive URL (data.download_url or data.url): wait for it to complete first`);
    }
    const { options } = this.my;
    const { connection, policy, fetch, userAgent } = this.my.transport.options;
    return downloadArchive({
      url,
      fileName: archiveFileName(url, typeof jobOrUrl === 'string' ? 'archive.zip' : `job-${jobOrUrl.id}.zip`),
      signal,
      policy,
      fetch,
      userAgent,
      api: connection,
      stallTimeoutMs: options.stallTimeout ?? 60_000,
      tempDir: options.tempDir,
      onProgress: this.listener(run),
    });
  }

  /** Starts a build, waits for it and downloads it: the whole loop, under one timeout and signal. */
  build(options: BuildOptions, run: RunOptions = {}): Promise<BuildResult> {
    validateBuildOptions(options);
    return this.startWaitDownload(`building project ${options.projectId}`, run, (signal) => this.startBuildIn(options, signal, run));
  }

  /** Starts a project export, waits for it and downloads the archive. */
  export(options: ExportOptions, run: RunOptions = {}): Promise<BuildResult> {
    validateExportOptions(options);
    return this.startWaitDownload(`exporting project ${options.projectId}`, run, (signal) => this.startExportIn(options, signal, run));
  }

  private startWaitDownload(what: string, run: RunOptions, start: (signal: AbortSignal) => Promise<Job>): Promise<BuildResult> {
    return withDeadline({ what }, { timeout: DEFAULT_TIMEOUT_MS, ...run }, async (signal, activity) => {
      const started = await start(signal);
      activity.jobId = started.id;
      activity.what = `${what} (waiting for job ${started.id} to finish)`;
      const job = await this.waitIn(started.id, signal, run);
      activity.what = `${what} (downloading the archive of job ${job.id})`;
      return { job, archive: await this.downloadIn(job, signal, run) };
    });
  }
}

export function createClient(options: ClientOptions = {}): PlayCanvasClient {
  return new PlayCanvasClient(options);
}
