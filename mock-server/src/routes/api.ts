import { type Request, Router } from 'express';
import { type ApiContext, apiRoute, requireProjectAccess } from '../api-route.js';
import { type BuildSpec, slugify } from '../builds/spec.js';
import { type FixtureApp, type FixtureBranch, type FixtureProject, mainBranch } from '../fixtures.js';
import { HttpError, notFound } from '../http-error.js';
import { type JobRecord, serializeJob } from '../jobs.js';
import type { MockState } from '../state.js';
import { parseDownloadRequest, requireObjectBody } from './download-request.js';

export const DEFAULT_ENGINE_VERSION = '2.7.4';

function parseId(raw: unknown, what: string): number {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw notFound(what);
  return Number(raw);
}

function projectFor(ctx: ApiContext, id: number): FixtureProject {
  const project = ctx.state.project(id);
  if (!project) throw notFound('Project');
  requireProjectAccess(ctx, id);
  return project;
}

function branchFor(project: FixtureProject, branchId: string | undefined): FixtureBranch {
  if (branchId === undefined) return mainBranch(project);
  const branch = project.branches.find((b) => b.id === branchId);
  if (!branch) throw notFound('Branch');
  return branch;
}

function origin(state: MockState, req: Request): string {
  return state.options.downloadBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new HttpError(400, `${name} must be given once`);
  return value;
}

function queryInt(req: Request, name: string, fallback: number, max: number): number {
  const value = queryString(req, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw new HttpError(400, `${name} must be a non-negative integer`);
  return Math.min(Number(value), max);
}

function serializeApp(app: FixtureApp, project: FixtureProject, state: MockState): Record<string, unknown> {
  const at = new Date(state.clock.startedAt).toISOString();
  const thumb = (size: string) => `https://s3-eu-west-1.amazonaws.com/apps.playcanvas.com/${app.id}/thumbs/${size}.png`;
  return {
    id: app.id,
    project_id: project.id,
    owner_id: project.ownerId,
    name: app.name,
    description: app.description ?? '',
    version: app.version ?? '',
    release_notes: app.releaseNotes ?? '',
    thumbnails: { s: thumb('s'), m: thumb('m'), l: thumb('l'), xl: thumb('xl') },
    size: app.size ?? 1_048_576,
    views: app.views ?? 0,
    completed_at: at,
    created_at: at,
    modified_at: at,
    url: `https://playcanv.as/p/${app.id.toString(36)}/`,
  };
}

/** A finished job shows where to fetch its archive; a running one does not yet. */
function jobBody(job: JobRecord): Record<string, unknown> {
  const body = serializeJob(job);
  if (job.status === 'complete' && job.resultUrl) {
    body.data = job.kind === 'export' ? { ...job.data, url: job.resultUrl } : { ...job.data, download_url: job.resultUrl };
  }
  return body;
}

export function apiRouter(state: MockState): Router {
  const router = Router();

  router.post(
    '/apps/download',
    apiRoute(state, 'apps.download', 'strict', (ctx) => {
      const request = parseDownloadRequest(ctx.req.body);
      const project = projectFor(ctx, request.project_id);
      const owner = ctx.state.user(project.ownerId);
      if (!owner) throw notFound('Owner');
      const branch = branchFor(project, request.branch_id);
      const scenes = request.scenes.map((id) => {
        const scene = project.scenes.find((s) => s.id === id);
        if (!scene) throw notFound('Scene');
        return scene;
      });
      const engineVersion = request.engine_version ?? DEFAULT_ENGINE_VERSION;
      const format = request.format ?? 'static';
      const now = ctx.state.clock.now();
      const spec: BuildSpec = {
        kind: 'app',
        project,
        branch,
        scenes,
        name: request.name,
        format,
        concatenate: request.scripts_concatenate ?? false,
        minify: request.scripts_minify ?? true,
        sourcemaps: request.scripts_sourcemaps ?? false,
        optimizeSceneFormat: request.optimize_scene_format ?? false,
        preloadBundle: request.preload_bundle ?? false,
        engineVersion,
        version: request.version,
        description: request.description,
        releaseNotes: request.release_notes,
        date: now,
      };
      const job = ctx.state.jobs.create(
        'download',
        project.id,
        {
          concatenate: spec.concatenate,
          minify: spec.minify,
          sourcemaps: spec.sourcemaps,
          engineVersion,
          optimize_scene_format: spec.optimizeSceneFormat,
          format,
          branch_id: branch.id,
          scenes: request.scenes,
          project_id: project.id,
          owner_id: project.ownerId,
          name: request.name,
          preload_bundle: spec.preloadBundle,
        },
        spec,
      );
      job.resultUrl = `${origin(ctx.state, ctx.req)}/downloads/apps/${job.id}/${slugify(request.name)}.zip`;
      return { status: 201, body: jobBody(job) };
    }),
  );

  router.get(
    '/jobs/:id',
    apiRoute(state, 'jobs.get', 'normal', (ctx) => {
      const job = ctx.state.jobs.get(parseId(ctx.req.params.id, 'Job'));
      if (!job) throw notFound('Job');
      requireProjectAccess(ctx, job.projectId);
      ctx.state.jobs.poll(job);
      return { body: jobBody(job) };
    }),
  );

  router.post(
    '/projects/:id/export',
    apiRoute(state, 'projects.export', 'strict', (ctx) => {
      const body = ctx.req.body === undefined ? {} : requireObjectBody(ctx.req.body);
      const project = projectFor(ctx, parseId(ctx.req.params.id, 'Project'));
      if (!ctx.state.user(project.ownerId)) throw notFound('Owner');
      const branchId = body.branch_id;
      if (branchId !== undefined && branchId !== null && branchId !== '' && typeof branchId !== 'string') {
        throw new HttpError(400, 'branch_id must be a string');
      }
      const branch = branchFor(project, typeof branchId === 'string' && branchId !== '' ? branchId : undefined);
      const spec: BuildSpec = {
        kind: 'export',
        project,
        branch,
        scenes: project.scenes,
        name: project.name,
        format: 'static',
        concatenate: false,
        minify: false,
        sourcemaps: false,
        optimizeSceneFormat: false,
        preloadBundle: false,
        engineVersion: DEFAULT_ENGINE_VERSION,
        date: ctx.state.clock.now(),
      };
      const job = ctx.state.jobs.create('export', project.id, { project: { id: project.id }, branch_id: branch.id }, spec);
      job.resultUrl = `${origin(ctx.state, ctx.req)}/downloads/exports/${job.id}/${slugify(project.name)}-export.zip`;
      // The docs say 201; the official scripts accept only 200, which is what the service answers.
      return { status: 200, body: jobBody(job) };
    }),
  );

  router.get(
    '/projects/:id/branches',
    apiRoute(state, 'branches.list', 'normal', (ctx) => {
      const project = projectFor(ctx, parseId(ctx.req.params.id, 'Project'));
      const includeClosed = queryString(ctx.req, 'closed') === 'true';
      const limit = Math.max(1, queryInt(ctx.req, 'limit', ctx.state.options.branchPageSize ?? 50, 1000));
      const skip = queryString(ctx.req, 'skip');
      const sorted = project.branches
        .filter((b) => includeClosed || !b.closed)
        .sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));
      let start = 0;
      if (skip !== undefined) {
        const at = sorted.findIndex((b) => b.id === skip);
        if (at < 0) throw notFound('Branch');
        start = at + 1;
      }
      const page = sorted.slice(start, start + limit);
      const owner = ctx.state.user(project.ownerId);
      return {
        body: {
          result: page.map((b) => ({
            id: b.id,
            projectId: project.id,
            name: b.name,
            createdAt: b.createdAt ?? new Date(ctx.state.clock.startedAt).toISOString(),
            closed: b.closed ?? false,
            latestCheckpointId: b.latestCheckpointId ?? null,
            user: owner ? { id: owner.id, fullName: owner.fullName, username: owner.username } : null,
          })),
          pagination: { hasMore: start + limit < sorted.length },
        },
      };
    }),
  );

  router.get(
    '/projects/:id/scenes',
    apiRoute(state, 'scenes.list', 'normal', (ctx) => {
      const project = projectFor(ctx, parseId(ctx.req.params.id, 'Project'));
      branchFor(project, queryString(ctx.req, 'branchId'));
      const at = new Date(ctx.state.clock.startedAt).toISOString();
      return { body: { result: project.scenes.map((s) => ({ id: s.id, projectId: project.id, name: s.name, created: at, modified: at })) } };
    }),
  );

  router.get(
    '/projects/:projectId/app',
    apiRoute(state, 'apps.primary', 'normal', (ctx) => {
      const project = projectFor(ctx, parseId(ctx.req.params.projectId, 'Project'));
      const app = project.apps?.find((a) => a.primary);
      if (!app) throw new HttpError(404, 'Project does not have a primary app');
      return { body: serializeApp(app, project, ctx.state) };
    }),
  );

  router.get(
    '/projects/:projectId/apps',
    apiRoute(state, 'apps.list', 'normal', (ctx) => {
      const project = projectFor(ctx, parseId(ctx.req.params.projectId, 'Project'));
      const apps = project.apps ?? [];
      const limit = queryInt(ctx.req, 'limit', 16, 1000);
      const skip = queryInt(ctx.req, 'skip', 0, Number.MAX_SAFE_INTEGER);
      return {
        body: {
          result: apps.slice(skip, skip + limit).map((a) => serializeApp(a, project, ctx.state)),
          pagination: { limit, skip, total: apps.length },
        },
      };
    }),
  );

  router.get(
    '/ratelimits',
    apiRoute(state, 'ratelimits', 'normal', (ctx) => ({ body: { limits: { ...ctx.state.limiter.limits } } })),
  );

  router.all(
    '/*rest',
    apiRoute(state, 'unknown', 'normal', (ctx) => {
      throw new HttpError(
        404,
        `No such API route: ${ctx.req.method} ${ctx.req.originalUrl.split('?')[0]}. The mock serves the routes listed in its README.`,
      );
    }),
  );

  return router;
}
