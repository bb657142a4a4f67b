import { HttpError } from '../http-error.js';

/** The body of POST /api/apps/download after validation, with absent optional fields left undefined. */
export interface DownloadRequest {
  project_id: number;
  name: string;
  scenes: number[];
  branch_id?: string;
  description?: string;
  version?: string;
  release_notes?: string;
  scripts_concatenate?: boolean;
  scripts_minify?: boolean;
  scripts_sourcemaps?: boolean;
  optimize_scene_format?: boolean;
  format?: 'static' | 'npm';
  engine_version?: string;
  preload_bundle?: boolean;
}

const bad = (message: string): HttpError => new HttpError(400, message);

/** Real clients send "", null (and false for non-boolean fields) for options they do not use. */
function absent(value: unknown, boolean: boolean): boolean {
  return value === undefined || value === null || value === '' || (!boolean && value === false);
}

export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) {
    throw bad("Request body is missing: send a JSON object with the header 'Content-Type: application/json'");
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('Request body must be a JSON object');
  return body as Record<string, unknown>;
}

function optionalString(
  body: Record<string, unknown>,
  field: string,
  max: number,
  inclusive: boolean,
): string | undefined {
  const value = body[field];
  if (absent(value, false)) return undefined;
  if (typeof value !== 'string') throw bad(`${field} must be a string`);
  if (inclusive ? value.length > max : value.length >= max) {
    throw bad(`${field} is too long: ${value.length} characters; it must be ${inclusive ? 'at most' : 'under'} ${max}`);
  }
  return value;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (absent(value, true)) return undefined;
  if (typeof value !== 'boolean') throw bad(`${field} must be true or false`);
  return value;
}

export function parseDownloadRequest(input: unknown): DownloadRequest {
  const body = requireObjectBody(input);
  const projectId = body.project_id;
  if (absent(projectId, false)) throw bad('project_id is required');
  if (typeof projectId !== 'number' || !Number.isSafeInteger(projectId) || projectId <= 0)
    throw bad('project_id must be a positive integer');
  const name = body.name;
  if (absent(name, false)) throw bad('name is required');
  if (typeof name !== 'string') throw bad('name must be a string');
  if (name.length >= 1000) throw bad(`name is too long: ${name.length} characters; it must be under 1000`);
  const scenes = body.scenes;
  if (absent(scenes, false)) throw bad('scenes is required: a list of scene ids, the first being the initial scene');
  if (!Array.isArray(scenes) || scenes.length === 0) throw bad('scenes must be a non-empty list of scene ids');
  for (const id of scenes) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
      throw bad('scenes must contain only positive integer scene ids');
  }
  const format = body.format;
  if (!absent(format, false) && format !== 'static' && format !== 'npm')
    throw bad(`format must be "static" or "npm"; got ${JSON.stringify(format)}`);
  const branchId = body.branch_id;
  if (!absent(branchId, false) && typeof branchId !== 'string') throw bad('branch_id must be a string');
  const request: DownloadRequest = { project_id: projectId, name, scenes: scenes as number[] };
  if (!absent(branchId, false)) request.branch_id = branchId as string;
  if (!absent(format, false)) request.format = format as 'static' | 'npm';
  const strings = [
    ['description', 10_000, false],
    ['version', 20, true],
    ['release_notes', 10_000, true],
    ['engine_version', 100, true],
  ] as const;
  for (const [field, max, inclusive] of strings) {
    const value = optionalString(body, field, max, inclusive);
    if (value !== undefined) request[field] = value;
  }
  for (const field of [
    'scripts_concatenate',
    'scripts_minify',
    'scripts_sourcemaps',
    'optimize_scene_format',
    'preload_bundle',
  ] as const) {
    const value = optionalBoolean(body, field);
    if (value !== undefined) request[field] = value;
  }
  return request;
}
