import type { FixtureApp, FixtureBranch, FixtureProject, FixtureScene, FixtureUser } from './fixtures.js';
import type { JobRecord } from './jobs.js';
import type { CheckpointRecord } from './world.js';

/**
 * Every answer body the API documents, written in one place: snake_case and camelCase exactly as the docs have them.
 */

const iso = (ms: number) => new Date(ms).toISOString();

export function userBody(user: FixtureUser | undefined): Record<string, unknown> | null {
  return user ? { id: user.id, fullName: user.fullName, username: user.username } : null;
}

/** A job as GET /api/jobs/:id answers it: a finished build shows data.download_url, an export data.url. */
export function jobBody(job: JobRecord): Record<string, unknown> {
  let data = job.data;
  if (job.status === 'complete' && job.resultUrl)
    data = job.kind === 'export' ? { ...data, url: job.resultUrl } : { ...data, download_url: job.resultUrl };
  return {
    id: job.id,
    created_at: iso(job.createdAt),
    modified_at: iso(job.modifiedAt),
    status: job.status,
    messages: job.messages,
    data,
  };
}

export function appBody(app: FixtureApp, project: FixtureProject, startedAt: number): Record<string, unknown> {
  const at = iso(startedAt);
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

export function branchBody(
  branch: FixtureBranch,
  project: FixtureProject,
  owner: FixtureUser | undefined,
  startedAt: number,
): Record<string, unknown> {
  return {
    id: branch.id,
    projectId: project.id,
    name: branch.name,
    createdAt: branch.createdAt ?? iso(startedAt),
    closed: branch.closed ?? false,
    latestCheckpointId: branch.latestCheckpointId ?? null,
    user: userBody(owner),
  };
}

export function sceneBody(scene: FixtureScene, project: FixtureProject, startedAt: number): Record<string, unknown> {
  return { id: scene.id, projectId: project.id, name: scene.name, created: iso(startedAt), modified: iso(startedAt) };
}

export function checkpointBody(checkpoint: CheckpointRecord, user: FixtureUser | undefined): Record<string, unknown> {
  return {
    id: checkpoint.id,
    user: userBody(user),
    createdAt: iso(checkpoint.createdAt),
    description: checkpoint.description,
  };
}
