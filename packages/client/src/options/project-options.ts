import { fail, type OptionSpec, type Schema } from './option-schema.js';
import { show } from './show.js';

/** The tables of what the client does to a project: build an app, export, create a checkpoint or a branch. */

function checkScenes(value: unknown, name: string): void {
  if (!Array.isArray(value) || value.length === 0)
    fail(name, `must be a non-empty array of scene ids or names; got ${show(value)}`);
  for (const scene of value) {
    const ok =
      (typeof scene === 'number' && Number.isSafeInteger(scene) && scene > 0) ||
      (typeof scene === 'string' && scene.trim() !== '');
    if (!ok) fail(name, `must hold scene ids (positive integers) or names; got ${show(scene)}`);
  }
}

const projectId: OptionSpec = {
  type: { kind: 'integer' },
  required: 'the number in the project URL (playcanvas.com/project/<id>)',
  doc: 'The number in the project’s URL.',
};
const branchId: OptionSpec = {
  type: { kind: 'string', nonEmpty: true, expect: 'a non-empty string (the id from the Version Control panel)' },
  defaultText: 'the main branch',
  doc: 'The branch id (Version Control panel). Give `branch` to name it instead.',
};
const branch: OptionSpec = {
  type: { kind: 'string', nonEmpty: true, expect: 'a branch name' },
  doc: 'A branch name, resolved to its id across every page of the branch list.',
};

/** What to build: the documented apps/download options, in camelCase. */
export const BUILD_OPTIONS = {
  projectId,
  name: {
    type: { kind: 'string', nonEmpty: true, under: 1000 },
    required: 'the name of the app',
    doc: 'The app’s name, under 1000 characters.',
  },
  scenes: {
    type: { kind: 'custom', check: checkScenes },
    ts: 'Array<number | string>',
    required: 'scene ids or names, the first being the initial scene',
    doc: 'Scene ids or names; the first is the initial scene.',
  },
  branchId,
  branch,
  description: { type: { kind: 'string', under: 10_000 }, doc: 'Under 10,000 characters.' },
  version: { type: { kind: 'string', atMost: 20 }, doc: 'At most 20 characters.' },
  releaseNotes: { type: { kind: 'string', atMost: 10_000 }, doc: 'At most 10,000 characters.' },
  scriptsConcatenate: {
    type: { kind: 'boolean' },
    defaultText: 'the API’s (false)',
    doc: 'Concatenate the scripts into one file.',
  },
  scriptsMinify: { type: { kind: 'boolean' }, defaultText: 'the API’s (true)', doc: 'Minify the scripts.' },
  scriptsSourcemaps: {
    type: { kind: 'boolean' },
    defaultText: 'the API’s (false)',
    doc: 'Write source maps for the scripts.',
  },
  optimizeSceneFormat: {
    type: { kind: 'boolean' },
    defaultText: 'the API’s (false)',
    doc: 'Write scenes in the compact format.',
  },
  format: {
    type: { kind: 'enum', values: ['static', 'npm'] },
    defaultText: 'the API’s (`static`)',
    doc: 'A static site or an npm (Vite) project.',
  },
  engineVersion: {
    type: { kind: 'string', nonEmpty: true, atMost: 100 },
    defaultText: 'the API’s',
    doc: 'The engine version, e.g. `2.7.4`. Send it: the API’s default has changed silently before.',
  },
  preloadBundle: { type: { kind: 'boolean' }, defaultText: 'the API’s', doc: 'Ask for preload bundles.' },
} as const satisfies Schema;

/** What to export: a project archive of one branch. */
export const EXPORT_OPTIONS = { projectId, branchId, branch } as const satisfies Schema;

/** A checkpoint to create: of the branch given (by id or name), or of the project's main branch. */
export const CHECKPOINT_OPTIONS = {
  projectId,
  branchId: { ...branchId, defaultText: 'the branch named main' },
  branch,
  description: {
    type: { kind: 'string', nonEmpty: true, atMost: 10_000, expect: 'a non-empty description' },
    required: 'what the checkpoint is for, e.g. "Release 1.4.2"',
    doc: 'What the checkpoint is for; at most 10,000 characters.',
  },
} as const satisfies Schema;

/** A branch to create, from another branch (at its latest checkpoint, or at the one given). */
export const BRANCH_OPTIONS = {
  projectId,
  name: {
    type: { kind: 'string', nonEmpty: true, atMost: 1000 },
    required: 'the new branch’s name',
    doc: 'The new branch’s name; at most 1000 characters.',
  },
  sourceBranchId: {
    type: { kind: 'string', nonEmpty: true, expect: 'a branch id' },
    defaultText: 'the branch named main',
    doc: 'The branch to start from. Give `sourceBranch` to name it instead.',
  },
  sourceBranch: {
    type: { kind: 'string', nonEmpty: true, expect: 'a branch name' },
    doc: 'The branch to start from, by name.',
  },
  sourceCheckpointId: {
    type: { kind: 'string', nonEmpty: true, expect: 'a checkpoint id' },
    defaultText: 'the source branch’s latest',
    doc: 'The checkpoint of the source branch to start from.',
  },
} as const satisfies Schema;

/** Cross-field rules the tables cannot say: one of branch and branchId. */
export function checkBranchChoice(options: Record<string, unknown>): void {
  if (options.branchId !== undefined && options.branch !== undefined)
    fail('branch', 'and branchId were both given: give one');
  if (options.sourceBranchId !== undefined && options.sourceBranch !== undefined)
    fail('sourceBranch', 'and sourceBranchId were both given: give one');
}
