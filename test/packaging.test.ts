import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { browserTest, type FileFacts, filesUnder, runProcess, startMock, TOKEN, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredExports, exportedNames } from '../scripts/cjs-types.js';
// @ts-expect-error: a plain script of the repository, without types
import { packAll } from '../scripts/pack.mjs';

const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

let server: MockServer;
let tarballs: string[];
/** Each tarball's files by `package/...` path, unpacked once by tar (one tar run per file read took half a minute). */
const unpacked = new Map<string, Map<string, FileFacts>>();
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
  tarballs = (packAll as (folder: string) => string[])(await tempDir('vendor-'));
  for (const tarball of tarballs) {
    const folder = await tempDir('unpacked-');
    execFileSync('tar', ['xzf', tarball, '-C', folder]);
    unpacked.set(tarball, await filesUnder(folder));
  }
}, 120_000);
afterAll(() => server.close());

/** A tarball's files, as `package/...` paths, and one file's text. */
function listing(tarball: string): string[] {
  return [...(unpacked.get(tarball)?.keys() ?? [])];
}
function fileIn(tarball: string, path: string): string {
  const file = unpacked.get(tarball)?.get(path);
  if (!file) throw new Error(`${basename(tarball)} has no ${path}`);
  return file.bytes.toString('utf8');
}

describe('the tarballs `pnpm pack-all` makes (what npm would publish)', () => {
  it(
    'each: metadata a user can follow, no dead `files` entry, ' +
      'no source map pointing at a file it lacks, a README that stands alone',
    () => {
      expect(tarballs.map((t) => basename(t)).sort()).toEqual([
        'gulp-playcanvas-grunt-playcanvas-0.1.0.tgz',
        'gulp-playcanvas-gulp-playcanvas-0.1.0.tgz',
        'gulp-playcanvas-playcanvas-build-0.1.0.tgz',
        'gulp-playcanvas-playcanvas-build-check-0.1.0.tgz',
        'gulp-playcanvas-playcanvas-mock-server-0.1.0.tgz',
        'gulp-playcanvas-playcanvas-pipeline-0.1.0.tgz',
        'gulp-playcanvas-playcanvas-postprocess-0.1.0.tgz',
        'gulp-playcanvas-playcanvas-rest-client-0.1.0.tgz',
      ]);
      const problems: string[] = [];
      for (const tarball of tarballs) {
        const name = basename(tarball);
        const files = new Set(listing(tarball));
        const pkg = JSON.parse(fileIn(tarball, 'package/package.json'));
        for (const field of ['repository', 'homepage', 'bugs', 'license', 'engines'])
          if (!pkg[field]) problems.push(`${name}: no ${field}`);
        // one scope for every package: an unscoped name can collide with another author's (gulp-playcanvas, 2019)
        if (!/^@gulp-playcanvas\/[a-z-]+$/.test(pkg.name))
          problems.push(`${name}: named ${pkg.name}, outside the @gulp-playcanvas scope`);
        if (pkg.publishConfig?.access !== 'public')
          problems.push(`${name}: a scoped package needs publishConfig.access "public"`);
        for (const entry of pkg.files as string[])
          if (![...files].some((f) => f === `package/${entry}` || f.startsWith(`package/${entry}/`)))
            problems.push(`${name}: files lists ${entry}, which is not there`);
        for (const version of Object.values({ ...pkg.dependencies, ...pkg.peerDependencies }) as string[])
          if (version.startsWith('workspace:')) problems.push(`${name}: a dependency left as ${version}`);
        for (const map of [...files].filter((f) => f.endsWith('.map'))) {
          const sources = JSON.parse(fileIn(tarball, map)).sources as string[];
          for (const source of sources) {
            const path = posix.normalize(posix.join(posix.dirname(map), source));
            if (!files.has(path)) problems.push(`${name}: ${map} points at ${path}, which is not in the package`);
          }
        }
        const readme = fileIn(tarball, 'package/README.md');
        for (const link of readme.matchAll(/\]\((?!https?:|#)([^)]+)\)/g))
          problems.push(`${name}: README links to ${link[1]}, which npm cannot show`);
        if ([...files].some((f) => /\/(test|tests)\//.test(f) || f.endsWith('.tsbuildinfo')))
          problems.push(`${name}: ships tests or build info`);
        // tsc never removes the output of a deleted source: such files would ship as dead code
        for (const built of [...files].filter((f) => /^package\/dist\/.*\.js$/.test(f)))
          if (!files.has(built.replace(/^package\/dist\//, 'package/src/').replace(/\.js$/, '.ts')))
            problems.push(`${name}: ${built} has no source (left from a deleted file: remove dist and run pnpm build)`);
      }
      expect(problems).toEqual([]);
    },
  );
});

describe("docs/install.md's install steps, as written", () => {
  it('in an empty folder beside the tarballs: mkdir, npm init, ' +
    'npm install, then the CommonJS gulpfile builds with npx gulp', async () => {
    const readme = await readFile(new URL('../docs/install.md', import.meta.url), 'utf8');
    const block = /\*\*Install for your own project\.\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const [clone, project] = block.split(/^# your project.*\n/m) as [string, string | undefined];
    // the clone's lines are what made the tarballs (beforeAll runs the script `pnpm pack-all` runs)
    expect(clone).toContain('pnpm pack-all ../vendor');
    expect(project?.trim().split('\n')).toEqual([
      'mkdir ../my-game && cd ../my-game && npm init -y',
      'npm install --save-dev ../vendor/*.tgz gulp',
    ]);
    // the clone stands where the README has it, with ../vendor beside it: no path in the lines is changed
    const root = await tempDir('readme-install-');
    await mkdir(join(root, 'gulp-playcanvas'));
    await mkdir(join(root, 'vendor'));
    for (const tarball of tarballs) await copyFile(tarball, join(root, 'vendor', basename(tarball)));
    // the lines as written; npm takes what its cache has (as the install below does) rather than asking the registry
    // again about each of gulp's dependencies, and skips the audit: the same packages, a minute sooner
    const quietNpm = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
    const cwd = join(root, 'gulp-playcanvas');
    const install = await runProcess('sh', ['-e', '-c', project as string], { cwd, env: quietNpm });
    expect(install.code, install.output).toBe(0);
    const game = join(root, 'my-game');
    const gulpfile = /From a CommonJS `gulpfile\.js`:\n\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    await writeFile(join(game, 'gulpfile.js'), gulpfile as string);
    const run = await runProcess('npx', ['gulp', 'build'], {
      cwd: game,
      env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url },
    });
    expect(run.code, run.output).toBe(0);
    expect((await filesUnder(join(game, 'build'))).has('index.html')).toBe(true);
  }, 300_000);
});

describe('installed from the tarballs with npm, in a project of its own', () => {
  let project: string;
  beforeAll(async () => {
    project = await tempDir('user-project-');
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'a-game', version: '1.0.0', private: true, type: 'module' }),
    );
    const wanted = tarballs.filter((t) => !basename(t).startsWith('gulp-playcanvas-playcanvas-mock-server'));
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...wanted,
        'gulp@5.0.1',
        '@types/gulp@4.0.18',
        'grunt@1.6.3',
        'grunt-cli@1.5.0',
      ],
      {
        cwd: project,
        stdio: 'ignore',
      },
    );
  }, 180_000);

  const env = () => ({ PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url });

  it('an ESM and a CommonJS gulpfile build with the real gulp', async () => {
    const gulp = join(project, 'node_modules', 'gulp', 'bin', 'gulp.js');
    await writeFile(
      join(project, 'gulpfile.mjs'),
      "import gulp from 'gulp';\nimport playcanvas, { csp } from '@gulp-playcanvas/gulp-playcanvas';\nexport " +
        "const build = () => playcanvas({ projectId: 1000, name: 'Space Race', scenes: ['Main'], " +
        "engineVersion: '2.23.3' }).pipe(csp()).pipe(gulp.dest('esm-build'));\n",
    );
    const esm = await runProcess(process.execPath, [gulp, '--gulpfile', 'gulpfile.mjs', 'build'], {
      cwd: project,
      env: env(),
    });
    expect(esm.code, esm.output).toBe(0);
    expect((await filesUnder(join(project, 'esm-build'))).has('index.html')).toBe(true);
    await mkdir(join(project, 'cjs'));
    await writeFile(join(project, 'cjs', 'package.json'), '{ "type": "commonjs" }');
    await writeFile(
      join(project, 'cjs', 'gulpfile.js'),
      "const { dest } = require('gulp');\nconst playcanvas = " +
        "require('@gulp-playcanvas/gulp-playcanvas');\nexports.build = () => playcanvas({ projectId: 1000, " +
        "name: 'Space Race', scenes: ['Main'], engineVersion: '2.23.3' " +
        "}).pipe(playcanvas.stampVersion('1.0.0')).pipe(dest('../cjs-build'));\n",
    );
    const cjs = await runProcess(process.execPath, [gulp, '--gulpfile', 'cjs/gulpfile.js', 'build'], {
      cwd: project,
      env: env(),
    });
    expect(cjs.code, cjs.output).toBe(0);
    expect(await readFile(join(project, 'cjs-build', 'index.html'), 'utf8')).toContain(
      '<meta name="version" content="1.0.0">',
    );
  });

  it('the CLI runs from node_modules/.bin', async () => {
    const bin = join(project, 'node_modules', '.bin', 'playcanvas-build');
    const run = await runProcess(
      bin,
      [
        'build',
        '--project',
        '1000',
        '--name',
        'Space Race',
        '--scenes',
        'Main',
        '--engine-version',
        '2.23.3',
        '--out',
        'cli-build',
        '--json',
      ],
      {
        cwd: project,
        env: env(),
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, metadata: { projectId: 1000 } });
  });

  /** The Gruntfile of its README, as docs/grunt.md says: Gruntfile.cjs in this "type": "module" project. */
  async function gruntProject(): Promise<void> {
    const readme = await readFile(new URL('../packages/grunt-playcanvas/README.md', import.meta.url), 'utf8');
    const gruntfile = /## Gruntfile\n[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!gruntfile) throw new Error('no Gruntfile in the README');
    await writeFile(join(project, 'Gruntfile.cjs'), gruntfile);
  }
  const grunt = (args: string[]) =>
    runProcess(join(project, 'node_modules', '.bin', 'grunt'), ['--no-color', ...args], { cwd: project, env: env() });

  it("the README's Gruntfile runs with the real grunt: the export target, zipped after a checkpoint", async () => {
    await gruntProject();
    const run = await grunt(['playcanvas:backup']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Running "playcanvas:backup" \(playcanvas\) task/);
    const zips = (await filesUnder(join(project, 'backup'))).keys();
    expect([...zips].filter((name) => name.endsWith('.zip'))).toHaveLength(1);
    expect(server.journal().some((entry) => entry.route === 'checkpoints.create')).toBe(true);
  });

  browserTest(
    "the README's `npx grunt playcanvas`: the game stamped, under a CSP, booted, with build.json",
    async () => {
      await gruntProject();
      const run = await grunt(['playcanvas']);
      expect(run.code, run.output).toBe(0);
      const index = await readFile(join(project, 'build', 'index.html'), 'utf8');
      expect(index).toContain('Content-Security-Policy');
      expect(JSON.parse(await readFile(join(project, 'build', 'build.json'), 'utf8'))).toMatchObject({
        projectId: 1000,
        format: 'static',
      });
      expect(run.output).toMatch(/check: the build booted/);
    },
  );

  it('a TypeScript gulpfile type-checks with the options typed (the README recipe: tsx and @types/gulp)', async () => {
    await writeFile(
      join(project, 'gulpfile.ts'),
      [
        "import gulp from 'gulp';",
        "import playcanvas, { check, csp, type PlayCanvasOptions } from '@gulp-playcanvas/gulp-playcanvas';",
        "const options: PlayCanvasOptions = { projectId: 1000, name: 'Space Race', scenes: " +
          "['Main'], engineVersion: '2.23.3' };",
        "export const build = () => playcanvas(options).pipe(csp()).pipe(check()).pipe(gulp.dest('build'));",
        '// @ts-expect-error: an option with a typo is a type error',
        "export const typo = () => playcanvas({ ...options, sceens: ['Main'] });",
        '',
      ].join('\n'),
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['gulpfile.ts'],
      }),
    );
    const typesNode = dirname(createRequire(import.meta.url).resolve('@types/node/package.json'));
    await mkdir(join(project, 'node_modules', '@types'), { recursive: true });
    await runProcess('ln', ['-s', typesNode, join(project, 'node_modules', '@types', 'node')]);
    const run = await runProcess(process.execPath, [tsc, '-p', project]);
    expect(run.code, run.output).toBe(0);
  });

  it('a CommonJS TypeScript consumer (require) ' +
    'sees every name the ES module exports, as a value or a type', async () => {
    const plugin = join(project, 'node_modules', '@gulp-playcanvas', 'gulp-playcanvas');
    const { values, types } = exportedNames(join(plugin, 'dist', 'index.d.ts'));
    // what the compiler reads from the published types is what pnpm generate read from the source
    expect({ values, types }).toEqual(
      declaredExports(fileURLToPath(new URL('../packages/gulp-playcanvas/src/index.ts', import.meta.url))),
    );
    expect(values).toEqual(expect.arrayContaining(['check', 'csp']));
    expect(types).toEqual(expect.arrayContaining(['PlayCanvasFile', 'BuildMetadata', 'PlayCanvasOptions']));
    await writeFile(
      join(project, 'consumer.cts'),
      [
        "import playcanvas = require('@gulp-playcanvas/gulp-playcanvas');",
        `export const values = [playcanvas, playcanvas.default, ` +
          `${values.map((name) => `playcanvas.${name}`).join(', ')}];`,
        `export type Types = [${types.map((name) => `playcanvas.${name}`).join(', ')}];`,
        '',
      ].join('\n'),
    );
    await writeFile(
      join(project, 'tsconfig.cjs.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.cts', 'node_modules/@gulp-playcanvas/gulp-playcanvas/index.d.cts'],
      }),
    );
    const typesNode = dirname(createRequire(import.meta.url).resolve('@types/node/package.json'));
    await mkdir(join(project, 'node_modules', '@types'), { recursive: true });
    await runProcess('ln', ['-sfn', typesNode, join(project, 'node_modules', '@types', 'node')]);
    const run = await runProcess(process.execPath, [tsc, '-p', join(project, 'tsconfig.cjs.json')]);
    expect(run.code, run.output).toBe(0);
  }, 120_000);
});
