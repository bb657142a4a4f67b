import { readFile } from 'node:fs/promises';
import { type FixtureAsset, validateAssets } from './fixture-assets.js';
import { editorLayoutProjects } from './layout-projects.js';

export type { AssetType, FixtureAsset } from './fixture-assets.js';

export interface FixtureUser {
  id: number;
  username: string;
  fullName: string;
}

export interface FixtureToken {
  /** The bearer token a client sends. */
  token: string;
  /** The user the token belongs to (an id from `users`). */
  userId: number;
  /** Project ids this token may use; others answer 403. */
  projects: number[];
}

export interface FixtureBranch {
  id: string;
  name: string;
  /** The branch used when a request names none. Exactly one per project. */
  main?: boolean;
  closed?: boolean;
  createdAt?: string;
  latestCheckpointId?: string;
}

export interface FixtureScene {
  id: number;
  name: string;
}

export interface FixtureApp {
  id: number;
  name: string;
  description?: string;
  version?: string;
  releaseNotes?: string;
  primary?: boolean;
  size?: number;
  views?: number;
}

/** Describes a large generated build, for benchmarks: `files` entries adding up to `totalBytes`. */
export interface SyntheticBuild {
  files: number;
  totalBytes: number;
  /** Share of the bytes (0 to 1) that is random and so does not compress. */
  incompressibleRatio?: number;
}

export interface FixtureProject {
  id: number;
  name: string;
  ownerId: number;
  branches: FixtureBranch[];
  scenes: FixtureScene[];
  assets?: FixtureAsset[];
  apps?: FixtureApp[];
  /** When set, every build of this project adds these generated files under `files/synthetic/`. */
  synthetic?: SyntheticBuild;
}

export interface Fixtures {
  users: FixtureUser[];
  tokens: FixtureToken[];
  projects: FixtureProject[];
}

export const DEFAULT_TOKEN = 'mock-dev-token';
export const READONLY_TOKEN = 'mock-other-token';

export function defaultFixtures(): Fixtures {
  const layouts = editorLayoutProjects();
  return {
    users: [
      { id: 100, username: 'builder', fullName: 'Build Engineer' },
      { id: 101, username: 'outsider', fullName: 'Other Studio' },
    ],
    tokens: [
      { token: DEFAULT_TOKEN, userId: 100, projects: [1000, 1001, ...layouts.map((p) => p.id)] },
      { token: READONLY_TOKEN, userId: 101, projects: [1001] },
    ],
    projects: [
      {
        id: 1000,
        name: 'Space Race',
        ownerId: 100,
        branches: [
          {
            id: '8f5a0c3e-0000-4000-8000-000000000001',
            name: 'main',
            main: true,
            latestCheckpointId: '5c1d0000-0000-4000-8000-000000000001',
          },
          {
            id: '8f5a0c3e-0000-4000-8000-000000000002',
            name: 'feature-boost',
            latestCheckpointId: '5c1d0000-0000-4000-8000-000000000002',
          },
          {
            id: '8f5a0c3e-0000-4000-8000-000000000003',
            name: 'release-1.2',
            latestCheckpointId: '5c1d0000-0000-4000-8000-000000000003',
          },
        ],
        scenes: [
          { id: 2000, name: 'Main' },
          { id: 2001, name: 'Level 2' },
          { id: 2002, name: 'Credits' },
        ],
        assets: [
          { id: 3000, name: 'player.js', type: 'script', filename: 'player.js', revision: 2 },
          { id: 3001, name: 'camera-follow.js', type: 'script', filename: 'camera-follow.js', revision: 1 },
          { id: 3002, name: 'ship.png', type: 'texture', filename: 'ship.png', revision: 3 },
          { id: 3003, name: 'levels.json', type: 'json', filename: 'levels.json', revision: 1 },
        ],
        apps: [
          { id: 4000, name: 'Space Race', version: '1.2.0', description: 'Race through space', primary: true },
          { id: 4001, name: 'Space Race (beta)', version: '1.3.0-beta.1' },
        ],
      },
      {
        id: 1001,
        name: 'Shared Toolkit',
        ownerId: 101,
        branches: [{ id: '9a6b1d4f-0000-4000-8000-000000000001', name: 'main', main: true }],
        scenes: [{ id: 2100, name: 'Sandbox' }],
        assets: [{ id: 3100, name: 'toolkit.js', type: 'script', filename: 'toolkit.js', revision: 1 }],
        apps: [],
      },
      ...layouts,
    ],
  };
}

export class FixtureError extends Error {
  override name = 'FixtureError';
}

function fail(where: string, problem: string): never {
  throw new FixtureError(
    `Invalid fixtures: ${where} ${problem}. See the fixture format in packages/mock-server/README.md.`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, 'must be an array');
  return value;
}

function expectInt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(where, 'must be a non-negative integer');
  }
  return value;
}

function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') fail(where, 'must be a non-empty string');
  return value;
}

/** Checks a parsed fixture document and returns it typed, or throws a FixtureError naming the bad field. */
export function validateFixtures(input: unknown): Fixtures {
  if (!isObject(input)) fail('the document', 'must be a JSON object with users, tokens and projects');
  const users = expectArray(input.users, 'users');
  users.forEach((u, i) => {
    if (!isObject(u)) fail(`users[${i}]`, 'must be an object');
    expectInt(u.id, `users[${i}].id`);
    expectString(u.username, `users[${i}].username`);
    expectString(u.fullName, `users[${i}].fullName`);
  });
  const userIds = new Set((users as FixtureUser[]).map((u) => u.id));
  const projects = expectArray(input.projects, 'projects');
  const projectIds = new Set<number>();
  projects.forEach((p, i) => {
    const at = `projects[${i}]`;
    if (!isObject(p)) fail(at, 'must be an object');
    const id = expectInt(p.id, `${at}.id`);
    if (projectIds.has(id)) fail(`${at}.id`, `repeats project id ${id}`);
    projectIds.add(id);
    expectString(p.name, `${at}.name`);
    expectInt(p.ownerId, `${at}.ownerId`);
    const branches = expectArray(p.branches, `${at}.branches`);
    if (branches.length === 0) fail(`${at}.branches`, 'must list at least one branch');
    branches.forEach((b, j) => {
      if (!isObject(b)) fail(`${at}.branches[${j}]`, 'must be an object');
      expectString(b.id, `${at}.branches[${j}].id`);
      expectString(b.name, `${at}.branches[${j}].name`);
    });
    if ((branches as FixtureBranch[]).filter((b) => b.main).length > 1) {
      fail(`${at}.branches`, 'marks more than one branch as main');
    }
    const scenes = expectArray(p.scenes, `${at}.scenes`);
    scenes.forEach((s, j) => {
      if (!isObject(s)) fail(`${at}.scenes[${j}]`, 'must be an object');
      expectInt(s.id, `${at}.scenes[${j}].id`);
      expectString(s.name, `${at}.scenes[${j}].name`);
    });
    if (p.assets !== undefined) {
      expectArray(p.assets, `${at}.assets`).forEach((a, j) => {
        if (!isObject(a)) fail(`${at}.assets[${j}]`, 'must be an object');
        expectInt(a.id, `${at}.assets[${j}].id`);
        expectString(a.name, `${at}.assets[${j}].name`);
        expectString(a.filename, `${at}.assets[${j}].filename`);
        if (/[\\/]|^\.\.?$/.test(a.filename as string))
          fail(`${at}.assets[${j}].filename`, 'must be a plain file name');
        if (
          a.folder !== undefined &&
          (typeof a.folder !== 'string' || a.folder.split('/').some((part) => /^\.\.?$|\\/.test(part)))
        ) {
          fail(
            `${at}.assets[${j}].folder`,
            "must be an Editor folder path such as 'Scripts/camera rig' (no '.', '..' or backslash)",
          );
        }
        if (
          a.mode !== undefined &&
          (!Number.isSafeInteger(a.mode) || (a.mode as number) < 0 || (a.mode as number) > 0o177777)
        ) {
          fail(`${at}.assets[${j}].mode`, 'must be a Unix mode such as 33261 (0o100755)');
        }
      });
      validateAssets(p.assets as unknown[], `${at}.assets`, fail);
    }
    if (p.apps !== undefined) {
      expectArray(p.apps, `${at}.apps`).forEach((a, j) => {
        if (!isObject(a)) fail(`${at}.apps[${j}]`, 'must be an object');
        expectInt(a.id, `${at}.apps[${j}].id`);
        expectString(a.name, `${at}.apps[${j}].name`);
      });
    }
    if (p.synthetic !== undefined) {
      if (!isObject(p.synthetic)) fail(`${at}.synthetic`, 'must be an object');
      const files = expectInt(p.synthetic.files, `${at}.synthetic.files`);
      if (files < 1) fail(`${at}.synthetic.files`, 'must be at least 1');
      expectInt(p.synthetic.totalBytes, `${at}.synthetic.totalBytes`);
      const ratio = p.synthetic.incompressibleRatio;
      if (ratio !== undefined && (typeof ratio !== 'number' || ratio < 0 || ratio > 1)) {
        fail(`${at}.synthetic.incompressibleRatio`, 'must be a number from 0 to 1');
      }
    }
  });
  const tokens = expectArray(input.tokens, 'tokens');
  tokens.forEach((t, i) => {
    if (!isObject(t)) fail(`tokens[${i}]`, 'must be an object');
    expectString(t.token, `tokens[${i}].token`);
    const userId = expectInt(t.userId, `tokens[${i}].userId`);
    if (!userIds.has(userId)) fail(`tokens[${i}].userId`, `names user ${userId}, which is not in users`);
    expectArray(t.projects, `tokens[${i}].projects`).forEach((id, j) => {
      expectInt(id, `tokens[${i}].projects[${j}]`);
    });
  });
  return input as unknown as Fixtures;
}

export async function loadFixturesFile(file: string): Promise<Fixtures> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FixtureError(`Cannot read fixtures file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`Fixtures file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return validateFixtures(parsed);
}

export function mainBranch(project: FixtureProject): FixtureBranch {
  return project.branches.find((b) => b.main) ?? (project.branches[0] as FixtureBranch);
}
