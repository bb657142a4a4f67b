import { ConfigError, cleanApiText } from '../common/index.js';
import type { ResolvedBranchOptions, ResolvedCheckpointOptions } from './build-request.js';
import type { Context } from './context.js';
import { jobFromApi } from './job.js';
import { waitForJob } from './jobs.js';
import { type Branch, branchFrom, listBranches, MAX_PAGES, pickBranch } from './lookups.js';
import { type ApiRequest, unexpectedAnswer } from './transport.js';

/** A saved state of a branch, to build from or branch from. */
export interface Checkpoint {
  id: string;
  description: string;
  /** The branch it was made of, when the client knows it (it made the checkpoint, or listed the branch's). */
  branchId?: string;
  createdAt?: string;
  user?: { id?: number; fullName?: string; username?: string };
}

/** The API's page size limit for checkpoint lists. */
const PAGE_SIZE = 50;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkpointFrom(raw: unknown): Checkpoint | undefined {
  if (!isObject(raw) || typeof raw.id !== 'string' || raw.id === '') return undefined;
  const checkpoint: Checkpoint = {
    id: cleanApiText(raw.id, 100),
    description: typeof raw.description === 'string' ? cleanApiText(raw.description, 10_000) : '',
  };
  if (typeof raw.createdAt === 'string') checkpoint.createdAt = cleanApiText(raw.createdAt, 40);
  if (isObject(raw.user)) {
    const user: NonNullable<Checkpoint['user']> = {};
    if (typeof raw.user.id === 'number') user.id = raw.user.id;
    if (typeof raw.user.fullName === 'string') user.fullName = cleanApiText(raw.user.fullName, 200);
    if (typeof raw.user.username === 'string') user.username = cleanApiText(raw.user.username, 200);
    checkpoint.user = user;
  }
  return checkpoint;
}

/**
 * The branch a call is about: the id given, the branch named, or the main branch. The API marks no branch as
 * the main one, so "main" is the branch of that name (or "master", the name older projects have).
 */
export async function branchFor(
  ctx: Context,
  projectId: number,
  options: { branchId?: string | undefined; branch?: string | undefined },
): Promise<string> {
  if (options.branchId !== undefined) return options.branchId;
  if (options.branch !== undefined) {
    const name = options.branch;
    return pickBranch(await listBranches(ctx, projectId, (b) => b.name === name), name, projectId).id;
  }
  const branches = await listBranches(ctx, projectId, (b) => b.name === 'main');
  const main = branches.find((b) => b.name === 'main') ?? branches.find((b) => b.name === 'master');
  if (main) return main.id;
  throw new ConfigError(
    `Project ${projectId} has no branch named main or master: give branch (its name) or branchId; open branches: ` +
      `${branches.map((b) => `${b.name} (${b.id})`).join(', ') || 'none'}`,
    'branch',
  );
}

/**
 * Creates a checkpoint (POST /api/checkpoints). The API now answers with a job whose data becomes the
 * checkpoint; it used to answer with the checkpoint itself: both are accepted.
 */
export async function createCheckpoint(ctx: Context, options: ResolvedCheckpointOptions): Promise<Checkpoint> {
  const branchId = await branchFor(ctx, options.projectId, options);
  const request: ApiRequest = {
    method: 'POST',
    path: '/api/checkpoints',
    route: '/api/checkpoints',
    body: { projectId: options.projectId, branchId, description: options.description },
    rateClass: 'normal',
    subject: `project ${options.projectId} and branch ${branchId}`,
  };
  const answer = await ctx.api(request);
  if (isObject(answer) && 'status' in answer) {
    const started = jobFromApi(answer);
    if (!started) throw unexpectedAnswer(request, 'a checkpoint job (an id and a status)');
    ctx.activity.jobId = started.id;
    ctx.onProgress({ type: 'job-started', jobId: started.id, kind: 'checkpoint' });
    const done = await waitForJob(ctx, started.id);
    const checkpoint = checkpointFrom(done.data);
    if (!checkpoint) throw unexpectedAnswer(request, `a checkpoint in the data of job ${done.id}`);
    return { ...checkpoint, branchId };
  }
  const checkpoint = checkpointFrom(answer);
  if (!checkpoint) throw unexpectedAnswer(request, 'a checkpoint (an id) or a checkpoint job');
  return { ...checkpoint, branchId };
}

export async function getCheckpoint(ctx: Context, checkpointId: string): Promise<Checkpoint> {
  const request: ApiRequest = {
    method: 'GET',
    path: `/api/checkpoints/${encodeURIComponent(checkpointId)}`,
    route: '/api/checkpoints/:id',
    rateClass: 'normal',
    subject: `checkpoint ${checkpointId}`,
  };
  const checkpoint = checkpointFrom(await ctx.api(request));
  if (!checkpoint) throw unexpectedAnswer(request, 'a checkpoint (an id)');
  return checkpoint;
}

/**
 * A branch's checkpoints, newest first, following the cursor pages (`skip` = the last id seen) until `limit`
 * are read or none is left. A list that never ends fails after MAX_PAGES.
 */
export async function listCheckpoints(
  ctx: Context,
  branchId: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<Checkpoint[]> {
  const all: Checkpoint[] = [];
  const seen = new Set<string>();
  let skip: string | undefined;
  for (let page = 0; all.length < limit; page++) {
    const query = new URLSearchParams({ limit: String(Math.min(PAGE_SIZE, limit - all.length)) });
    if (skip) query.set('skip', skip);
    const request: ApiRequest = {
      method: 'GET',
      path: `/api/branches/${encodeURIComponent(branchId)}/checkpoints?${query}`,
      route: '/api/branches/:id/checkpoints',
      rateClass: 'normal',
      subject: `branch ${branchId}`,
    };
    if (page >= MAX_PAGES) {
      throw unexpectedAnswer(request, `a checkpoint list that ends (still more after ${MAX_PAGES} pages)`);
    }
    const res = await ctx.api(request);
    const result = isObject(res) && Array.isArray(res.result) ? res.result.map(checkpointFrom) : undefined;
    if (!result || result.some((c) => c === undefined)) {
      throw unexpectedAnswer(request, 'a checkpoint list (result with ids)');
    }
    const fresh = (result as Checkpoint[]).filter((c) => !seen.has(c.id)).map((c) => ({ ...c, branchId }));
    for (const c of fresh) seen.add(c.id);
    all.push(...fresh);
    const last = fresh.at(-1);
    if (!(isObject(res) && isObject(res.pagination) && res.pagination.hasMore === true) || !last) break;
    skip = last.id;
  }
  return all.slice(0, limit);
}

/** Creates a branch (POST /api/branches) from another, at its latest checkpoint or the one given. */
export async function createBranch(ctx: Context, options: ResolvedBranchOptions): Promise<Branch> {
  const sourceBranchId = await branchFor(ctx, options.projectId, {
    branchId: options.sourceBranchId,
    branch: options.sourceBranch,
  });
  const request: ApiRequest = {
    method: 'POST',
    path: '/api/branches',
    route: '/api/branches',
    body: {
      projectId: options.projectId,
      name: options.name,
      sourceBranchId,
      ...(options.sourceCheckpointId !== undefined ? { sourceCheckpointId: options.sourceCheckpointId } : {}),
    },
    rateClass: 'normal',
    subject: `project ${options.projectId} and branch ${sourceBranchId}`,
  };
  const branch = branchFrom(await ctx.api(request));
  if (!branch) throw unexpectedAnswer(request, 'a branch (an id and a name)');
  return branch;
}
