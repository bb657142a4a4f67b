import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { HostileEntry } from '../faults.js';
import type { FixtureBranch, FixtureProject, FixtureScene } from '../fixtures.js';
import type { DownloadRequest } from '../routes/download-request.js';

import { ENGINE_VERSION, engineFor, LEGACY_ENGINE_VERSION } from './engine.js';

/** The engine version a build gets when the request names none: the one the mock ships. */
export const DEFAULT_ENGINE_VERSION = ENGINE_VERSION;

/** Everything that decides the bytes of one archive. */
export interface BuildSpec {
  kind: 'app' | 'export';
  project: FixtureProject;
  branch: FixtureBranch;
  scenes: FixtureScene[];
  name: string;
  format: 'static' | 'npm';
  concatenate: boolean;
  minify: boolean;
  sourcemaps: boolean;
  optimizeSceneFormat: boolean;
  preloadBundle: boolean;
  engineVersion: string;
  version?: string;
  description?: string;
  releaseNotes?: string;
  /** Entry dates, epoch ms: the job's creation on the mock's clock. */
  date: number;
  hostile?: HostileEntry;
}

export interface BuildEntry {
  name: string;
  /** File content, or a factory for large generated content that must not sit in memory. */
  content: string | Buffer | (() => Readable);
  /** Unix mode bits; 0o100644 when absent. */
  mode?: number | undefined;
  /** Random bytes: deflated without a search for repeats (none would be found), several times faster. */
  incompressible?: boolean;
}

/** The archive an apps/download request asks for, with the API's defaults for what it leaves out. */
export function specForApp(
  request: DownloadRequest,
  project: FixtureProject,
  branch: FixtureBranch,
  scenes: FixtureScene[],
  date: number,
): { spec: BuildSpec; note?: string; failure?: string } {
  const engine = engineFor(request.engine_version);
  const spec: BuildSpec = {
    kind: 'app',
    project,
    branch,
    scenes,
    name: request.name,
    format: request.format ?? 'static',
    concatenate: request.scripts_concatenate ?? false,
    minify: request.scripts_minify ?? true,
    sourcemaps: request.scripts_sourcemaps ?? false,
    optimizeSceneFormat: request.optimize_scene_format ?? false,
    preloadBundle: request.preload_bundle ?? false,
    engineVersion: engine.version,
    date,
  };
  if (request.version !== undefined) spec.version = request.version;
  if (request.description !== undefined) spec.description = request.description;
  if (request.release_notes !== undefined) spec.releaseNotes = request.release_notes;
  const failure = engineRefusal(spec);
  if (failure !== undefined) return { spec, failure };
  return engine.note === undefined ? { spec } : { spec, note: engine.note };
}

/**
 * Why the Editor would not build this project with this engine, if it would not: ES module scripts (`.mjs`)
 * need engine 2 (the Editor's own words are not public; the message is the mock's). The job then fails with it.
 */
export function engineRefusal(spec: BuildSpec): string | undefined {
  if (spec.engineVersion !== LEGACY_ENGINE_VERSION) return undefined;
  const modules = (spec.project.assets ?? []).filter((a) => a.type === 'script' && a.filename.endsWith('.mjs'));
  if (modules.length === 0) return undefined;
  const named = `${modules[0]?.filename}${modules.length > 1 ? ` and ${modules.length - 1} more` : ''}`;
  return (
    `Project ${spec.project.id} has ES module scripts (${named}), which need engine 2: ` +
    'it cannot be built with engine ' +
    `${spec.engineVersion}. Build it with engine ${ENGINE_VERSION}, or leave engine_version out`
  );
}

/** A project export of one branch. */
export function specForExport(project: FixtureProject, branch: FixtureBranch, date: number): BuildSpec {
  return {
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
    date,
  };
}

export function specKey(spec: BuildSpec): string {
  const { project, branch, scenes, ...rest } = spec;
  return createHash('sha256')
    .update(
      JSON.stringify({
        ...rest,
        project: project.id,
        assets: project.assets,
        synthetic: project.synthetic,
        branch: branch.id,
        scenes: scenes.map((s) => s.id),
      }),
    )
    .digest('hex')
    .slice(0, 24);
}

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'app'
  );
}
