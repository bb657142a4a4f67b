import type { Branch, Checkpoint, Scene } from './api/index.js';
import {
  archiveUrlOf,
  type Context,
  checkpoints,
  type Job,
  jobs,
  lookups,
  operation,
  resolveBranchOptions,
  resolveBuildOptions,
  resolveCheckpointOptions,
  resolveExportOptions,
  Transport,
} from './api/index.js';
import { DownloadedArchive } from './archive/index.js';
import { ConfigError, DownloadError, safeUrl } from './common/index.js';
import { downloadToTemp, downloadWhileReading } from './download/index.js';
import type {
  BranchOptions,
  BuildOptions,
  CheckpointOptions,
  ClientOptions,
  ExportOptions,
  RunOptions,
} from './options/index.js';
import { ClientConfig, resolveClientConfig, show } from './options/index.js';

export interface BuildResult {
  job: Job;
  /** The downloaded archive: open() it to read entries; dispose() (or close()) it when done. */
  archive: DownloadedArchive;
}

/** Kept out of the client object, so no inspect or JSON of it can show the token. */
const transports = new WeakMap<PlayCanvasClient, Transport>();

function archiveFileName(url: string, fallback: string): string {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    if (/^[\w.-]{1,120}\.zip$/.test(last)) return last;
  } catch {
    // fall through to the fallback name
  }
  return fallback;
}

function checkJobId(jobId: unknown): number {
  if (typeof jobId !== 'number' || !Number.isSafeInteger(jobId) || jobId <= 0)
    throw new ConfigError(`A job id is a positive integer; got ${show(jobId)}`, 'jobId');
  return jobId;
}

/**
 * Downloads the archive. Where the host serves ranges, it is read while it arrives (the end first, then the
 * body); `early` resolves as soon as the end is in, otherwise once the file is whole. Elsewhere, the whole file.
 */
async function download(ctx: Context, jobOrUrl: Job | string, early = false): Promise<DownloadedArchive> {
  const url = typeof jobOrUrl === 'string' ? jobOrUrl : archiveUrlOf(jobOrUrl);
  if (!url) {
    const id = typeof jobOrUrl === 'string' ? '' : ` ${jobOrUrl.id}`;
    throw new DownloadError(
      `Job${id} has no archive URL (data.downloadUrl or data.url): wait for it to complete first`,
    );
  }
  const name = archiveFileName(url, typeof jobOrUrl === 'string' ? 'archive.zip' : `job-${jobOrUrl.id}.zip`);
  const arriving = await downloadWhileReading(ctx, url, name);
  if (arriving) {
    if (!early) {
      try {
        await arriving.complete();
      } catch (error) {
        await arriving.dispose();
        throw error;
      }
    }
    return arriving;
  }
  const spooled = await downloadToTemp(ctx, url, name);
  return new DownloadedArchive(spooled.path, spooled.size, spooled.remove);
}

/**
 * The run option `readWhileDownloading` (checked with the other run options): the archive is given as soon as
 * its end (the central directory) is in, so every entry is judged before the first is read, and each entry's
 * reads wait for its bytes while the body arrives.
 */
function readsEarly(run: RunOptions | undefined): boolean {
  return run?.readWhileDownloading === true;
}

/** Starts a job, waits for it and downloads its archive, under one deadline. */
async function startWaitDownload(ctx: Context, start: () => Promise<Job>, early = false): Promise<BuildResult> {
  const what = ctx.activity.what;
  const started = await start();
  ctx.activity.what = `${what} (waiting for job ${started.id} to finish)`;
  const job = await jobs.waitForJob(ctx, started.id);
  ctx.activity.what = `${what} (downloading the archive of job ${job.id})`;
  return { job, archive: await download(ctx, job, early) };
}

/**
 * A typed client for the PlayCanvas REST API. Options are checked once, here; every call runs under the
 * client's timeout (or the call's own), retries what is safe to retry and waits out the rate limits.
 */
export class PlayCanvasClient {
  /** The API origin in use, such as https://playcanvas.com */
  readonly origin: string;

  /** Raw options are resolved here, once; a ClientConfig (resolved at an adapter's edge) is used as it is. */
  constructor(options: ClientOptions | ClientConfig = {}) {
    const config = options instanceof ClientConfig ? options : resolveClientConfig(options);
    this.origin = config.connection.origin;
    transports.set(this, new Transport(config));
  }

  private run<T>(what: string, run: RunOptions | undefined, work: (ctx: Context) => Promise<T>): Promise<T> {
    return operation(transports.get(this) as Transport, what, run, work);
  }

  /** Every open branch of a project, following the cursor pages. */
  listBranches(projectId: number, run?: RunOptions): Promise<Branch[]> {
    const { projectId: id } = resolveExportOptions({ projectId });
    return this.run(`listing the branches of project ${id}`, run, (ctx) => lookups.listBranches(ctx, id));
  }

  listScenes(projectId: number, options: { branchId?: string } & RunOptions = {}): Promise<Scene[]> {
    const { branchId, ...run } = options;
    const checked = resolveExportOptions(branchId === undefined ? { projectId } : { projectId, branchId });
    return this.run(`listing the scenes of project ${checked.projectId}`, run, (ctx) =>
      lookups.listScenes(ctx, checked.projectId, checked.branchId),
    );
  }

  /** This token's limits per rate class, requests per minute. */
  getRateLimits(run?: RunOptions): Promise<Record<string, number>> {
    return this.run('reading the rate limits', run, (ctx) => lookups.getRateLimits(ctx));
  }

  /** Starts a build (POST /api/apps/download) after resolving branch and scene names; resolves to the running job. */
  startBuild(options: BuildOptions, run?: RunOptions): Promise<Job> {
    return this.run('starting a build', run, async (ctx) => {
      const build = resolveBuildOptions(options);
      ctx.activity.what = `starting a build of project ${build.projectId}`;
      return jobs.startBuild(ctx, build);
    });
  }

  /** Starts a project export (POST /api/projects/:id/export); resolves to the running job. */
  startExport(options: ExportOptions, run?: RunOptions): Promise<Job> {
    return this.run('starting an export', run, async (ctx) => {
      const exported = resolveExportOptions(options);
      ctx.activity.what = `starting an export of project ${exported.projectId}`;
      return jobs.startExport(ctx, exported);
    });
  }

  getJob(jobId: number, run?: RunOptions): Promise<Job> {
    return this.run(`reading job ${jobId}`, run, (ctx) => jobs.getJob(ctx, checkJobId(jobId)));
  }

  /**
   * Polls the job until it completes (resolves to it) or fails (JobFailedError): soon at first, then backing off,
   * and slower when the rate budget runs low.
   */
  waitForJob(jobId: number, run?: RunOptions): Promise<Job> {
    return this.run(`waiting for job ${jobId} to finish`, run, (ctx) => jobs.waitForJob(ctx, checkJobId(jobId)));
  }

  /**
   * Downloads a finished job's archive (or an archive URL) to a temp file. dispose() it when done. With
   * `readWhileDownloading`, it resolves once the archive's end is in (where the host serves ranges).
   */
  download(jobOrUrl: Job | string, run?: RunOptions): Promise<DownloadedArchive> {
    const what =
      typeof jobOrUrl === 'string'
        ? `downloading ${safeUrl(jobOrUrl)}`
        : `downloading the archive of job ${jobOrUrl.id}`;
    return this.run(what, run, (ctx) => download(ctx, jobOrUrl, readsEarly(run)));
  }

  /** Starts a build, waits for it and downloads it: the whole loop, under one timeout and signal. */
  build(options: BuildOptions, run?: RunOptions): Promise<BuildResult> {
    return this.run('building', run, async (ctx) => {
      const build = resolveBuildOptions(options);
      ctx.activity.what = `building project ${build.projectId}`;
      return startWaitDownload(ctx, () => jobs.startBuild(ctx, build), readsEarly(run));
    });
  }

  /** Creates a checkpoint of a branch (the main one unless `branch` or `branchId` says), waiting for its job. */
  createCheckpoint(options: CheckpointOptions, run?: RunOptions): Promise<Checkpoint> {
    return this.run('creating a checkpoint', run, async (ctx) => {
      const checked = resolveCheckpointOptions(options);
      ctx.activity.what = `creating a checkpoint of project ${checked.projectId}`;
      return checkpoints.createCheckpoint(ctx, checked);
    });
  }

  getCheckpoint(checkpointId: string, run?: RunOptions): Promise<Checkpoint> {
    if (typeof checkpointId !== 'string' || checkpointId.trim() === '')
      throw new ConfigError(`A checkpoint id is a non-empty string; got ${show(checkpointId)}`, 'checkpointId');
    return this.run(`reading checkpoint ${checkpointId}`, run, (ctx) => checkpoints.getCheckpoint(ctx, checkpointId));
  }

  /**
   * A branch's checkpoints, newest first: every page, or the newest `limit`. The main branch unless `branch` or
   * `branchId` says.
   */
  listCheckpoints(
    options: { projectId: number; branchId?: string; branch?: string; limit?: number },
    run?: RunOptions,
  ): Promise<Checkpoint[]> {
    const { limit, ...which } = options ?? {};
    const checked = resolveExportOptions(which);
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit <= 0))
      throw new ConfigError(`Option limit must be a positive integer; got ${show(limit)}`, 'limit');
    return this.run(`listing the checkpoints of project ${checked.projectId}`, run, async (ctx) =>
      checkpoints.listCheckpoints(ctx, await checkpoints.branchFor(ctx, checked.projectId, checked), limit),
    );
  }

  /**
   * Creates a branch from another (the main one unless `sourceBranch` or `sourceBranchId` says), at its latest
   * checkpoint or `sourceCheckpointId`.
   */
  createBranch(options: BranchOptions, run?: RunOptions): Promise<Branch> {
    return this.run('creating a branch', run, async (ctx) => {
      const checked = resolveBranchOptions(options);
      ctx.activity.what = `creating branch ${JSON.stringify(checked.name)} in project ${checked.projectId}`;
      return checkpoints.createBranch(ctx, checked);
    });
  }

  /** Starts a project export, waits for it and downloads the archive. */
  export(options: ExportOptions, run?: RunOptions): Promise<BuildResult> {
    return this.run('exporting', run, async (ctx) => {
      const exported = resolveExportOptions(options);
      ctx.activity.what = `exporting project ${exported.projectId}`;
      return startWaitDownload(ctx, () => jobs.startExport(ctx, exported), readsEarly(run));
    });
  }
}

export function createClient(options: ClientOptions | ClientConfig = {}): PlayCanvasClient {
  return new PlayCanvasClient(options);
}
