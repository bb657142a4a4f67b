import type { JobKind } from '../common/index.js';
import { JobFailedError, sleep } from '../common/index.js';
import type { PollOptions } from '../options/index.js';
import { type ResolvedBuildOptions, type ResolvedExportOptions, toDownloadBody } from './build-request.js';
import type { Context } from './context.js';
import { type Job, jobFromApi } from './job.js';
import { branchIdFor, sceneIdsFor } from './lookups.js';
import { type ApiRequest, unexpectedAnswer } from './transport.js';

/** POSTs a request that starts a job (strict class), checks that a job came back, reports it. */
export async function createJob(ctx: Context, kind: JobKind, request: Omit<ApiRequest, 'method'>): Promise<Job> {
  const full: ApiRequest = { ...request, method: 'POST' };
  const job = jobFromApi(await ctx.api(full));
  if (!job) throw unexpectedAnswer(full, 'a job (an id and a status)');
  ctx.activity.jobId = job.id;
  ctx.onProgress({ type: 'job-started', jobId: job.id, kind });
  return job;
}

/** Starts a build (POST /api/apps/download) after resolving branch and scene names; resolves to the running job. */
export async function startBuild(ctx: Context, options: ResolvedBuildOptions): Promise<Job> {
  const branchId = await branchIdFor(ctx, options.projectId, options);
  const sceneIds = await sceneIdsFor(ctx, options.projectId, options.scenes, branchId);
  return createJob(ctx, 'build', {
    path: '/api/apps/download',
    route: '/api/apps/download',
    body: toDownloadBody(options, sceneIds, branchId),
    rateClass: 'strict',
    subject:
      `project ${options.projectId}, its scenes ` +
      `${sceneIds.join(', ')}${branchId ? ` and branch ${branchId}` : ''}`,
  });
}

/** Starts a project export (POST /api/projects/:id/export); resolves to the running job. */
export async function startExport(ctx: Context, options: ResolvedExportOptions): Promise<Job> {
  const branchId = await branchIdFor(ctx, options.projectId, options);
  return createJob(ctx, 'export', {
    path: `/api/projects/${options.projectId}/export`,
    route: '/api/projects/:id/export',
    body: branchId ? { branch_id: branchId } : {},
    rateClass: 'strict',
    subject: `project ${options.projectId}${branchId ? ` and branch ${branchId}` : ''}`,
  });
}

export async function getJob(ctx: Context, jobId: number): Promise<Job> {
  const request: ApiRequest = {
    method: 'GET',
    path: `/api/jobs/${jobId}`,
    route: '/api/jobs/:id',
    rateClass: 'normal',
    subject: `job ${jobId}`,
  };
  const job = jobFromApi(await ctx.api(request));
  if (!job) throw unexpectedAnswer(request, 'a job (an id and a status)');
  return job;
}

/** Delay before poll number `n` (0 = the first): soon at first, then backing off toward the ceiling. */
export function pollDelay(options: Readonly<PollOptions>, n: number): number {
  return Math.round(Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.min(n, 64)));
}

/**
 * Stretches a delay so the remaining requests of the window last until it resets: polling then never
 * spends the budget that other calls of the same token need.
 */
export function paceForBudget(
  delayMs: number,
  budget: { remaining: number | undefined; resetAt: number | undefined },
  now = Date.now(),
  reserve = 2,
): number {
  if (budget.remaining === undefined || budget.resetAt === undefined) return delayMs;
  const untilReset = Math.max(0, budget.resetAt - now);
  const spendable = budget.remaining - reserve;
  if (spendable <= 0) return Math.max(delayMs, untilReset);
  return Math.max(delayMs, Math.ceil(untilReset / spendable));
}

/**
 * Polls the job until it completes (resolves to it) or fails (JobFailedError): soon at first, then backing off,
 * slower when the rate budget runs low (a slowdown of a second or more is announced).
 */
export async function waitForJob(ctx: Context, jobId: number): Promise<Job> {
  const { poll, retry } = ctx.config;
  ctx.activity.jobId = jobId;
  let last: string | undefined;
  for (let n = 0; ; n++) {
    const scheduled = pollDelay(poll, n);
    // Slower polls keep some budget for other calls; a slowdown past the longest wait allowed is left to the
    // budget itself, which then fails at once with a RateLimitError that says so.
    const stretched = paceForBudget(scheduled, ctx.budget.snapshot('normal'));
    const paced = stretched > retry.maxRateLimitWaitMs ? scheduled : stretched;
    if (paced - scheduled >= 1000)
      ctx.onProgress({ type: 'rate-limit-wait', rateClass: 'normal', waitMs: paced, reason: 'pace' });
    await sleep(paced, ctx.signal);
    const job = await getJob(ctx, jobId);
    if (job.status !== last) {
      last = job.status;
      ctx.onProgress({ type: 'job-status', jobId, status: job.status, polls: n + 1 });
    }
    if (job.status === 'complete') return job;
    if (job.status === 'error') {
      throw new JobFailedError(
        `PlayCanvas job ${jobId} failed: ${job.messages.join('; ') || 'no reason given'}. ` +
          'Check that the project builds from the Editor (scripts, engine version), then try again',
        jobId,
        job.messages,
      );
    }
  }
}
