import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOKEN, tempDir } from 'test-support';
import { describe, expect, it } from 'vitest';
import { resolveTask } from '../src/options.js';

const cwd = '/work/game';
const BUILD = { projectId: 1000, name: 'Space Race', scenes: ['Main'], token: TOKEN, baseUrl: 'http://127.0.0.1:1' };

function resolve(options: Record<string, unknown>, target: unknown = { dest: 'build' }) {
  return resolveTask({ options: { ...BUILD, ...options }, target, nameArgs: 'playcanvas:game', cwd });
}

describe('resolveTask: every option checked before anything starts, the message naming it', () => {
  it.each<[string, Record<string, unknown>, unknown, RegExp]>([
    ['no dest', {}, {}, /^Option dest is required: the folder to write the build to, e\.g\. dest: 'build'$/],
    [
      'dest is the project',
      {},
      { dest: '.' },
      /^Option dest "\." is the project folder, and it is replaced as a whole/,
    ],
    ['dest holds the project', {}, { dest: '..' }, /^Option dest "\.\." is a folder that holds the project/],
    ['a target that is not an object', {}, 'build', /^playcanvas:game must be an object, e\.g\. \{ dest: 'build'/],
    [
      'an option beside options',
      {},
      { dest: 'build', scenes: ['Main'] },
      /^playcanvas:game has scenes beside options: .*put scenes under options$/,
    ],
    [
      'dest among the options',
      { dest: 'build' },
      undefined,
      /^dest goes on the target, beside options: game: \{ dest: 'build', options: \{ \.\.\. \} \}$/,
    ],
    [
      'a misspelt build option',
      { project_id: 1000 },
      undefined,
      /^Option project_id is not a playcanvas task option \(options are camelCase: projectId\)$/,
    ],
    [
      'a wrong build value',
      { scenes: [] },
      undefined,
      /^Option scenes must be a non-empty array of scene ids or names; got \[\]$/,
    ],
    [
      'post-processing on a zip',
      { extract: false, stampVersion: '1.0.0' },
      undefined,
      new RegExp(
        '^Option stampVersion works on the static build written as files, so it cannot be used with extract: false ' +
          "\\(the zip is written as it is\\): set stampVersion: false on this target if it comes from the task's " +
          'options, or leave out extract: false$',
      ),
    ],
    [
      'a check of an export',
      { export: true, check: true },
      undefined,
      /^Option check .* with export: true .*: set check: false on this target if it comes from the task's options$/,
    ],
    [
      'a misspelt option of an export',
      { export: true, brnach: 'main' },
      undefined,
      /^Option brnach is not a playcanvas task option \(did you mean branch\?\)$/,
    ],
    [
      'a csp of an npm build',
      { format: 'npm', csp: true },
      undefined,
      /^Option csp .* with format: 'npm' \(a project to build with Vite, not a site\): .*, or leave out format: 'npm'$/,
    ],
    [
      'check as a string',
      { check: 'yes' },
      undefined,
      /^Option check must be true, false or an options object such as .*; got "yes"$/,
    ],
    [
      'a wrong check option',
      { check: { frames: -1 } },
      undefined,
      /^Check option frames must be a positive number; got -1$/,
    ],
    [
      'stampVersion with no version',
      { stampVersion: true },
      undefined,
      /^Option stampVersion needs a version: give stampVersion: '1\.4\.2'/,
    ],
    ['an unknown csp option', { csp: { nonsense: 1 } }, undefined, /^csp option nonsense is unknown; the options are /],
    ['assetPrefix: true', { assetPrefix: true }, undefined, /^Option assetPrefix needs the CDN's URL/],
    [
      'an assetPrefix with credentials',
      { assetPrefix: 'https://u:p@cdn.example.com/' },
      undefined,
      /^assetPrefix\(\) must not carry credentials/,
    ],
    [
      'a metadataFile outside dest',
      { metadataFile: '../build.json' },
      undefined,
      /^Option metadataFile must be a file path inside dest, such as 'build\.json'; got "\.\.\/build\.json"$/,
    ],
    [
      'requireEngineVersion without engineVersion',
      { requireEngineVersion: true },
      undefined,
      /^requireEngineVersion is set, but engineVersion is not/,
    ],
  ])('%s', (_label, options, target, message) => {
    expect(() => resolve(options, target ?? { dest: 'build' })).toThrow(message);
  });

  it(
    'dest is resolved against the project folder; ' +
      'the post-processing steps run in one order, whatever the options’ order',
    () => {
      const task = resolve({
        csp: true,
        assetPrefix: 'https://cdn.example.com/game',
        stampVersion: true,
        version: '1.4.2',
      });
      expect(task.dest).toBe('/work/game/build');
      expect(task.steps.map((s) => s.name)).toEqual(['stampVersion', 'assetPrefix', 'csp']);
      const single = resolve({ csp: true, singleFile: { compress: true }, stampVersion: true, version: '1.4.2' });
      expect(single.steps.map((s) => s.name)).toEqual(['stampVersion', 'singleFile', 'csp']);
      expect(task.steps[0]?.report(undefined)).toBe('stampVersion: stamped 1.4.2');
      expect(task.check).toBeUndefined();
      expect(resolve({ csp: false, stampVersion: false }).steps).toEqual([]);
      // a single file loads nothing from elsewhere: the pipeline's rule, as the CLI has it for its flags
      expect(() => resolve({ singleFile: true, assetPrefix: 'https://cdn.example.com/game' })).toThrow(
        'singleFile and assetPrefix do not go together: a single file loads nothing from ' +
          'elsewhere (leave out one of them)',
      );
    },
  );

  it('an export target leaves out the build options it shares with the build targets through the task options', () => {
    const task = resolve({ export: true, branch: 'main', engineVersion: '2.23.3', version: '1.0.0' });
    expect(task.job).toEqual({ kind: 'export', options: { projectId: 1000, branch: 'main' } });
  });

  it('stampVersion takes its version from itself before the version option', () => {
    expect(resolve({ version: '1.0.0', stampVersion: '2.0.0' }).steps[0]?.report(undefined)).toBe(
      'stampVersion: stamped 2.0.0',
    );
    expect(
      resolve({ version: '1.0.0', stampVersion: { version: '3.0.0', cacheBust: false } }).steps[0]?.report(undefined),
    ).toBe('stampVersion: stamped 3.0.0');
  });
});

describe('resolveTask: a dest outside the project folder', () => {
  it('that holds files is refused unless replaceOutside says so; one that does not exist is fine', async () => {
    const parent = await tempDir('grunt-outside-');
    const project = join(parent, 'game');
    await mkdir(project);
    await mkdir(join(parent, 'www'));
    await writeFile(join(parent, 'www', 'index.php'), '');
    const target = { dest: '../www' };
    const run = (options: Record<string, unknown>, dest = target) =>
      resolveTask({ options: { ...BUILD, ...options }, target: dest, nameArgs: 'playcanvas:game', cwd: project });
    expect(() => run({})).toThrow(
      'Option dest "../www" is outside the project folder and already holds files (index.php), ' +
        'which would all be replaced: set replaceOutside: true in its options if that is meant, ' +
        'or write inside the project folder',
    );
    expect(run({ replaceOutside: true }).dest).toBe(join(parent, 'www'));
    expect(run({}, { dest: '../new-site' }).dest).toBe(join(parent, 'new-site'));
  });
});
