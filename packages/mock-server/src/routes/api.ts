import { Router } from 'express';
import { slugify, specForApp, specForExport } from '../builds/spec.js';
import { HttpError, notFound } from '../http-error.js';
import { appBody, branchBody, checkpointBody, jobBody, sceneBody, userBody } from '../serializers.js';
import {
  apiRoute,
  archiveUrl,
  parseId,
  projectFor,
  queryInt,
  queryString,
  requireProjectAccess,
  unknownApiRoute,
} from './api-route.js';
import { parseDownloadRequest, requireObjectBody } from './download-request.js';

const bad = (message: string) => new HttpError(400, message);

function requiredString(body: Record<string, unknown>, field: string, max: number): string {
  const value = body[field];
  if (value === undefined || value === null || value === '') throw bad(`Invalid request: ${field} is required`);
  if (typeof value !== 'string') throw bad(`Invalid request: ${field} must be a string`);
  if (value.length > max) throw bad(`Invalid request: ${field} is ${value.length} characters long; at most ${max}`);
  return value;
}

function requiredInt(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (value === undefined || value === null) throw bad(`Invalid request: ${field} is required`);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    throw bad(`Invalid request: ${field} must be a positive integer`);
  return value;
}

/** The PlayCanvas API routes, each registered from ROUTE_TABLE by name. */
export function apiRouter(): Router {
  const router = Router();

  apiRoute(router, 'apps.download', (ctx) => {
    const request = parseDownloadRequest(ctx.req.body);
    const project = projectFor(ctx, request.project_id);
    const owner = ctx.state.user(project.ownerId);
    if (!owner) throw notFound('Owner');
    const branch = ctx.state.world.branchOf(project, request.branch_id);
    if (!branch) throw notFound('Branch');
    const scenes = request.scenes.map((id) => {
      const scene = project.scenes.find((s) => s.id === id);
      if (!scene) throw notFound('Scene');
      return scene;
    });
    const { spec, note, failure } = specForApp(request, project, branch, scenes, ctx.state.clock.now());
    const job = ctx.state.jobs.create({
      ...(failure === undefined ? {} : { scenario: { outcome: 'error', messages: [failure] } }),
      kind: 'download',
      projectId: project.id,
      build: spec,
      data: {
        concatenate: spec.concatenate,
        minify: spec.minify,
        sourcemaps: spec.sourcemaps,
        engineVersion: spec.engineVersion,
        optimize_scene_format: spec.optimizeSceneFormat,
        format: spec.format,
        branch_id: branch.id,
        scenes: request.scenes,
        project_id: project.id,
        owner_id: project.ownerId,
        name: request.name,
        preload_bundle: spec.preloadBundle,
      },
    });
    if (note) job.messages = [note];
    job.resultUrl = archiveUrl(ctx.state, ctx.req, `/downloads/apps/${job.id}/${slugify(request.name)}.zip`, job.id);
    return { status: 201, body: jobBody(job) };
  });

  apiRoute(router, 'jobs.get', (ctx) => {
    const job = ctx.state.jobs.get(parseId(ctx.req.params.id, 'Job'));
    if (!job) throw notFound('Job');
    requireProjectAccess(ctx, job.projectId);
    ctx.state.jobs.poll(job);
    return { body: jobBody(job) };
  });

  apiRoute(router, 'projects.export', (ctx) => {
    const body = ctx.req.body === undefined ? {} : requireObjectBody(ctx.req.body);
    const project = projectFor(ctx, parseId(ctx.req.params.id, 'Project'));
    if (!ctx.state.user(project.ownerId)) throw notFound('Owner');
    const branchId = body.branch_id;
    if (branchId !== undefined && branchId !== null && branchId !== '' && typeof branchId !== 'string')
      throw bad('branch_id must be a string');
    const branch = ctx.state.world.branchOf(
      project,
      typeof branchId === 'string' && branchId !== '' ? branchId : undefined,
    );
    if (!branch) throw notFound('Branch');
    const job = ctx.state.jobs.create({
      kind: 'export',
      projectId: project.id,
      build: specForExport(project, branch, ctx.state.clock.now()),
      data: { project: { id: project.id }, branch_id: branch.id },
    });
    job.resultUrl = archiveUrl(
      ctx.state,
      ctx.req,
      `/downloads/exports/${job.id}/${slugify(project.name)}-export.zip`,
      job.id,
    );
    // The docs say 201; the official scripts accept only 200, which is what the service answers.
    return { status: 200, body: jobBody(job) };
  });

  apiRoute(router, 'branches.list', (ctx) => {
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
    const owner = ctx.state.user(project.ownerId);
    return {
      body: {
        result: sorted.slice(start, start + limit).map((b) => branchBody(b, project, owner, ctx.state.clock.startedAt)),
        pagination: { hasMore: start + limit < sorted.length },
      },
    };
  });

  apiRoute(router, 'branches.create', (ctx) => {
    const body = requireObjectBody(ctx.req.body);
    const projectId = requiredInt(body, 'projectId');
    const name = requiredString(body, 'name', 1000);
    const sourceBranchId = requiredString(body, 'sourceBranchId', 100);
    const project = projectFor(ctx, projectId);
    const source = ctx.state.world.branchOf(project, sourceBranchId);
    if (!source) throw notFound('Branch');
    if (project.branches.some((b) => b.name === name)) throw bad('Invalid request: branch name already exists');
    const checkpointId = body.sourceCheckpointId ?? source.latestCheckpointId;
    if (typeof checkpointId !== 'string' || ctx.state.world.checkpoint(checkpointId)?.branchId !== source.id)
      throw notFound('Checkpoint');
    const branch = ctx.state.world.addBranch(project, name, checkpointId);
    return {
      status: 201,
      body: {
        ...branchBody(branch, project, ctx.state.user(ctx.caller.userId), ctx.state.clock.startedAt),
        permanent: false,
      },
    };
  });

  apiRoute(router, 'checkpoints.create', (ctx) => {
    const body = requireObjectBody(ctx.req.body);
    const projectId = requiredInt(body, 'projectId');
    const branchId = requiredString(body, 'branchId', 100);
    const description = requiredString(body, 'description', 10_000);
    const project = projectFor(ctx, projectId);
    const branch = ctx.state.world.branchOf(project, branchId);
    if (!branch) throw notFound('Branch');
    const user = ctx.state.user(ctx.caller.userId);
    const job = ctx.state.jobs.create({
      kind: 'checkpoint',
      projectId,
      data: {
        type: 'checkpoint_create',
        project_id: projectId,
        branch_id: branch.id,
        user_id: ctx.caller.userId,
        user: userBody(user),
        description,
      },
      onComplete: (done) => {
        done.data = checkpointBody(
          ctx.state.world.addCheckpoint(project, branch, description, ctx.caller.userId),
          user,
        );
      },
    });
    return { status: 201, body: jobBody(job) };
  });

  apiRoute(router, 'checkpoints.get', (ctx) => {
    const checkpoint = ctx.state.world.checkpoint(String(ctx.req.params.id));
    if (!checkpoint) throw notFound('Checkpoint');
    requireProjectAccess(ctx, checkpoint.projectId);
    return { body: checkpointBody(checkpoint, ctx.state.user(checkpoint.userId)) };
  });

  apiRoute(router, 'checkpoints.list', (ctx) => {
    const found = ctx.state.world.branch(String(ctx.req.params.id));
    if (!found) throw notFound('Branch');
    requireProjectAccess(ctx, found.project.id);
    const limit = Math.max(1, queryInt(ctx.req, 'limit', 50, 50));
    const skip = queryString(ctx.req, 'skip');
    let list = ctx.state.world.checkpointsOf(found.branch.id);
    if (skip !== undefined) {
      const at = list.findIndex((c) => c.id === skip);
      if (at < 0) throw notFound('Checkpoint');
      list = list.slice(at + 1);
    }
    return {
      body: {
        result: list.slice(0, limit).map((c) => checkpointBody(c, ctx.state.user(c.userId))),
        pagination: { hasMore: list.length > limit },
      },
    };
  });

  apiRoute(router, 'scenes.list', (ctx) => {
    const project = projectFor(ctx, parseId(ctx.req.params.id, 'Project'));
    if (!ctx.state.world.branchOf(project, queryString(ctx.req, 'branchId'))) throw notFound('Branch');
    return { body: { result: project.scenes.map((s) => sceneBody(s, project, ctx.state.clock.startedAt)) } };
  });

  apiRoute(router, 'apps.primary', (ctx) => {
    const project = projectFor(ctx, parseId(ctx.req.params.id, 'Project'));
    const app = project.apps?.find((a) => a.primary);
    if (!app) throw new HttpError(404, 'Project does not have a primary app');
    return { body: appBody(app, project, ctx.state.clock.startedAt) };
  });

  apiRoute(router, 'apps.list', (ctx) => {
    const project = projectFor(ctx, parseId(ctx.req.params.id, 'Project'));
    const apps = project.apps ?? [];
    const limit = queryInt(ctx.req, 'limit', 16, 1000);
    const skip = queryInt(ctx.req, 'skip', 0, Number.MAX_SAFE_INTEGER);
    return {
      body: {
        result: apps.slice(skip, skip + limit).map((a) => appBody(a, project, ctx.state.clock.startedAt)),
        pagination: { limit, skip, total: apps.length },
      },
    };
  });

  apiRoute(router, 'ratelimits', (ctx) => ({ body: { limits: { ...ctx.state.limiter.limits } } }));
  unknownApiRoute(router);

  return router;
}
