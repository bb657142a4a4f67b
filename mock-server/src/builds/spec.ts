import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { HostileEntry } from '../faults.js';
import type { FixtureBranch, FixtureProject, FixtureScene } from '../fixtures.js';

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
  mode?: number;
}

export function specKey(spec: BuildSpec): string {
  const { project, branch, scenes, ...rest } = spec;
  return createHash('sha256')
    .update(JSON.stringify({ ...rest, project: project.id, branch: branch.id, scenes: scenes.map((s) => s.id) }))
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
