import {
  editorLayoutProjects,
  LEGACY_ENGINE_VERSION,
  type StartOptions,
} from '@gulp-playcanvas/playcanvas-mock-server';

/** What the tests' mock serves: the test project and token, its variants, and the Editor layout projects. */

/** Recognizable, so every failure test can check that it leaked nowhere. */
export const TOKEN = 'test-secret-token-8d1f3b';
/** A token of the same user with access to no project. */
export const OUTSIDER_TOKEN = 'test-outsider-token';

/**
 * The test project: "Space Race", four branches (names sort apart from ids), two scenes, three assets (one executable).
 */
export function fixtures(): NonNullable<StartOptions['fixtures']> {
  return {
    users: [{ id: 100, username: 'builder', fullName: 'Build Engineer' }],
    tokens: [
      { token: TOKEN, userId: 100, projects: [1000] },
      { token: OUTSIDER_TOKEN, userId: 100, projects: [] },
    ],
    projects: [
      {
        id: 1000,
        name: 'Space Race',
        ownerId: 100,
        branches: [
          { id: 'b-main', name: 'main', main: true, latestCheckpointId: 'cp-main-1' },
          { id: 'b-boost', name: 'feature-boost', latestCheckpointId: 'cp-boost-1' },
          { id: 'b-release', name: 'release-1.2' },
          { id: 'b-zeta', name: 'zeta' },
        ],
        scenes: [
          { id: 2000, name: 'Main' },
          { id: 2001, name: 'Level 2' },
        ],
        assets: [
          { id: 3000, name: 'player.js', type: 'script', filename: 'player.js', revision: 2 },
          { id: 3001, name: 'tool.sh', type: 'text', filename: 'tool.sh', mode: 0o100755 },
          { id: 3002, name: 'ship.png', type: 'texture', filename: 'ship.png', revision: 3 },
        ],
      },
    ],
  };
}

type TestProject = NonNullable<StartOptions['fixtures']>['projects'][number];

/** The test fixtures plus copies of "Space Race" with other ids and the given differences, the test token let in. */
export function fixturesWith(
  ...projects: Array<Partial<TestProject> & { id: number }>
): NonNullable<StartOptions['fixtures']> {
  const f = fixtures();
  const base = f.projects[0] as TestProject;
  for (const project of projects) {
    f.projects.push({ ...base, ...project });
    f.tokens[0]?.projects.push(project.id);
  }
  return f;
}

/** The test fixtures plus project 1200, whose one script throws when it loads: its build does not boot cleanly. */
export function fixturesWithBrokenProject(): NonNullable<StartOptions['fixtures']> {
  return fixturesWith({
    id: 1200,
    assets: [
      {
        id: 3000,
        name: 'player.js',
        type: 'script',
        filename: 'player.js',
        content: "throw new Error('player.js failed to load');\n",
      },
    ],
  });
}

/** The mock's static build variants (the download options that change what is in the build), by name. */
export const STATIC_VARIANTS: ReadonlyArray<[string, Record<string, unknown>]> = [
  ['separate, minified scripts (the default)', {}],
  ['scripts readable (minify off)', { scripts_minify: false }],
  ['scripts concatenated', { scripts_concatenate: true }],
  ['source maps', { scripts_sourcemaps: true }],
  ['concatenated with source maps', { scripts_concatenate: true, scripts_sourcemaps: true }],
  ['the compact scene format', { optimize_scene_format: true }],
  ['all of them together', { scripts_concatenate: true, scripts_sourcemaps: true, optimize_scene_format: true }],
];

/**
 * The request bodies (POST /api/apps/download, as buildFiles takes them) that make each layout the Editor writes, from
 * the mock's layout projects (editorLayoutProjects()): use them with `layoutFixtures()`.
 */
export const EDITOR_LAYOUTS: ReadonlyArray<{ name: string; body: Record<string, unknown> }> = [
  { name: 'classic', body: { project_id: 1002, name: 'Asset Gallery', scenes: [2200, 2201, 2202] } },
  {
    name: 'classic concatenated',
    body: { project_id: 1002, name: 'Asset Gallery', scenes: [2200, 2201, 2202], scripts_concatenate: true },
  },
  {
    name: 'classic 1.x',
    body: {
      project_id: 1002,
      name: 'Asset Gallery',
      scenes: [2200, 2201, 2202],
      engine_version: LEGACY_ENGINE_VERSION,
    },
  },
  // 1003 "Module Garden": ES module scripts only; 1004 "Mixed Harbour": classic and ES module scripts
  { name: 'esm', body: { project_id: 1003, name: 'Module Garden', scenes: [2300, 2301] } },
  {
    name: 'esm concatenated',
    body: { project_id: 1003, name: 'Module Garden', scenes: [2300, 2301], scripts_concatenate: true },
  },
  { name: 'mixed', body: { project_id: 1004, name: 'Mixed Harbour', scenes: [2400, 2401] } },
  {
    name: 'mixed concatenated',
    body: { project_id: 1004, name: 'Mixed Harbour', scenes: [2400, 2401], scripts_concatenate: true },
  },
];

/** The engine each layout's page says it runs (window.pc.version); builds of module scripts only set no window.pc. */
export const LAYOUT_ENGINE: Readonly<Record<string, string | undefined>> = {
  classic: '2.23.3',
  'classic concatenated': '2.23.3',
  'classic 1.x': LEGACY_ENGINE_VERSION,
  esm: undefined,
  'esm concatenated': undefined,
  mixed: '2.23.3',
  'mixed concatenated': '2.23.3',
};

/** The test fixtures with the mock's layout projects added, the test token let in. */
export function layoutFixtures(): NonNullable<StartOptions['fixtures']> {
  const f = fixtures();
  for (const project of editorLayoutProjects()) {
    f.projects.push(project);
    f.tokens[0]?.projects.push(project.id);
  }
  return f;
}
