import { ConfigError, cleanApiText } from '../common/index.js';
import type { Context } from './context.js';
import { type ApiRequest, unexpectedAnswer } from './transport.js';

export interface Branch {
  id: string;
  name: string;
  projectId?: number;
  closed?: boolean;
  createdAt?: string;
  latestCheckpointId?: string | null;
}

export interface Scene {
  id: number;
  name: string;
  projectId?: number;
}

/** Most pages of a cursor-paged list read before giving up: 1,000 pages (50,000 branches at the API's page size). */
export const MAX_PAGES = 1000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function branchFrom(raw: unknown): Branch | undefined {
  if (!isObject(raw) || typeof raw.id !== 'string' || raw.id === '' || typeof raw.name !== 'string') return undefined;
  const branch: Branch = { id: cleanApiText(raw.id, 100), name: cleanApiText(raw.name, 1000) };
  if (typeof raw.projectId === 'number') branch.projectId = raw.projectId;
  if (typeof raw.closed === 'boolean') branch.closed = raw.closed;
  if (typeof raw.createdAt === 'string') branch.createdAt = raw.createdAt;
  if (typeof raw.latestCheckpointId === 'string' || raw.latestCheckpointId === null)
    branch.latestCheckpointId = raw.latestCheckpointId;
  return branch;
}

/**
 * Every open branch of a project, following the cursor pages until `stop` is true for one of them or no page
 * is left. A page that brings nothing new ends the list; a list that never ends fails after MAX_PAGES.
 */
export async function listBranches(
  ctx: Context,
  projectId: number,
  stop: (branch: Branch) => boolean = () => false,
): Promise<Branch[]> {
  const all: Branch[] = [];
  const seen = new Set<string>();
  let skip: string | undefined;
  for (let page = 0; ; page++) {
    const request: ApiRequest = {
      method: 'GET',
      path: `/api/projects/${projectId}/branches${skip ? `?skip=${encodeURIComponent(skip)}` : ''}`,
      route: '/api/projects/:id/branches',
      rateClass: 'normal',
      subject: `project ${projectId}`,
    };
    if (page >= MAX_PAGES) {
      throw unexpectedAnswer(request, `a branch list that ends (still more after ${MAX_PAGES} pages)`);
    }
    const res = await ctx.api(request);
    const result = isObject(res) && Array.isArray(res.result) ? res.result.map(branchFrom) : undefined;
    if (!result || result.some((b) => b === undefined)) {
      throw unexpectedAnswer(request, 'a branch list (result with ids and names)');
    }
    const fresh = (result as Branch[]).filter((b) => !seen.has(b.id));
    for (const b of fresh) seen.add(b.id);
    all.push(...fresh);
    const hasMore = isObject(res) && isObject(res.pagination) && res.pagination.hasMore === true;
    const last = fresh.at(-1);
    if (fresh.some(stop) || !hasMore || !last) return all;
    skip = last.id;
  }
}

export async function listScenes(ctx: Context, projectId: number, branchId: string | undefined): Promise<Scene[]> {
  const request: ApiRequest = {
    method: 'GET',
    path: `/api/projects/${projectId}/scenes${branchId ? `?branchId=${encodeURIComponent(branchId)}` : ''}`,
    route: '/api/projects/:id/scenes',
    rateClass: 'normal',
    subject: `project ${projectId}`,
  };
  const res = await ctx.api(request);
  const list = isObject(res) && Array.isArray(res.result) ? res.result : undefined;
  const scenes = list?.map((s): Scene | undefined =>
    isObject(s) && typeof s.id === 'number' && Number.isSafeInteger(s.id) && typeof s.name === 'string'
      ? {
          id: s.id,
          name: cleanApiText(s.name, 1000),
          ...(typeof s.projectId === 'number' ? { projectId: s.projectId } : {}),
        }
      : undefined,
  );
  if (!scenes || scenes.some((s) => s === undefined)) {
    throw unexpectedAnswer(request, 'a scene list (result with ids and names)');
  }
  return scenes as Scene[];
}

export async function getRateLimits(ctx: Context): Promise<Record<string, number>> {
  const request: ApiRequest = { method: 'GET', path: '/api/ratelimits', route: '/api/ratelimits', rateClass: 'normal' };
  const res = await ctx.api(request);
  const limits = isObject(res) && isObject(res.limits) ? res.limits : undefined;
  if (!limits || Object.values(limits).some((v) => typeof v !== 'number')) {
    throw unexpectedAnswer(request, 'a list of rate limits');
  }
  return limits as Record<string, number>;
}

/** Finds a branch by name (exact, then case-insensitive); the error lists the branches that exist. */
export function pickBranch(branches: Branch[], name: string, projectId: number): Branch {
  const found =
    branches.find((b) => b.name === name) ?? branches.find((b) => b.name.toLowerCase() === name.toLowerCase());
  if (found) return found;
  const list = branches.length ? branches.map((b) => `${b.name} (${b.id})`).join(', ') : 'none';
  throw new ConfigError(
    `Branch ${JSON.stringify(name)} not found in project ${projectId}; open branches: ${list}`,
    'branch',
  );
}

/** The branch id to use: as given, or looked up by name (reading only as many pages as needed). */
export async function branchIdFor(
  ctx: Context,
  projectId: number,
  options: { branchId?: string; branch?: string },
): Promise<string | undefined> {
  if (options.branch === undefined) return options.branchId;
  const name = options.branch;
  return pickBranch(await listBranches(ctx, projectId, (b) => b.name === name), name, projectId).id;
}

/** Turns scene names into ids, keeping ids as given; the error lists the scenes that exist. */
export function resolveScenes(wanted: ReadonlyArray<number | string>, scenes: Scene[], projectId: number): number[] {
  return wanted.map((item) => {
    if (typeof item === 'number') return item;
    const exact = scenes.filter((s) => s.name === item);
    const matches = exact.length ? exact : scenes.filter((s) => s.name.toLowerCase() === item.toLowerCase());
    const list = scenes.map((s) => `${s.name} (${s.id})`).join(', ') || 'none';
    if (matches.length === 0)
      throw new ConfigError(
        `Scene ${JSON.stringify(item)} not found in project ${projectId}; scenes: ${list}`,
        'scenes',
      );
    if (matches.length > 1) {
      throw new ConfigError(
        `Scene name ${JSON.stringify(item)} is ambiguous in project ${projectId} ` +
          `(${matches.map((s) => s.id).join(', ')}): give the id instead`,
        'scenes',
      );
    }
    return (matches[0] as Scene).id;
  });
}

export async function sceneIdsFor(
  ctx: Context,
  projectId: number,
  scenes: ReadonlyArray<number | string>,
  branchId: string | undefined,
): Promise<number[]> {
  if (scenes.every((s) => typeof s === 'number')) return [...(scenes as number[])];
  return resolveScenes(scenes, await listScenes(ctx, projectId, branchId), projectId);
}
