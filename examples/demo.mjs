// `pnpm demo` (or `pnpm demo playable`): runs a task of examples/gulpfile.mjs with the real gulp CLI. Without
// PLAYCANVAS_API_KEY it starts the
// embedded mock of the PlayCanvas API first (and stops it after); with the key set it talks to the real API.
import { spawn } from 'node:child_process';
import { readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TOKEN, startMockServer } from '@gulp-playcanvas/playcanvas-mock-server';

const here = dirname(fileURLToPath(import.meta.url));
const gulpBin = join(dirname(createRequire(import.meta.url).resolve('gulp')), 'bin', 'gulp.js');
const TASKS = { build: 'build', playable: 'playable' }; // task name: the folder it writes
const task = process.argv[2] ?? 'build';
if (!(task in TASKS)) {
  console.error(`Unknown demo task ${JSON.stringify(task)}: use ${Object.keys(TASKS).join(' or ')}`);
  process.exit(2);
}
const outDir = resolve(process.cwd(), TASKS[task]);

async function summary(dir) {
  let files = 0;
  let bytes = 0;
  for (const name of await readdir(dir, { recursive: true })) {
    const s = await stat(join(dir, name));
    if (s.isFile()) {
      files += 1;
      bytes += s.size;
    }
  }
  return { files, bytes };
}

function runGulp(env) {
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      [gulpBin, '--gulpfile', join(here, 'gulpfile.mjs'), '--cwd', process.cwd(), task],
      {
        env,
        stdio: 'inherit',
      },
    );
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

const env = { ...process.env };
let mock;
if (!env.PLAYCANVAS_API_KEY) {
  mock = await startMockServer({ clock: { mode: 'realtime', start: Date.now() } });
  env.PLAYCANVAS_API_KEY = DEFAULT_TOKEN;
  env.PLAYCANVAS_BASE_URL = mock.url;
  console.log(
    `PLAYCANVAS_API_KEY is not set: using the embedded PlayCanvas mock at ${mock.url} (project 1000, "Space Race").`,
  );
} else {
  console.log(
    `Using the PlayCanvas API at ${env.PLAYCANVAS_BASE_URL || 'https://playcanvas.com'} (project ` +
      `${env.PLAYCANVAS_PROJECT_ID ?? 1000}).`,
  );
}

await rm(outDir, { recursive: true, force: true });
let code;
try {
  code = await runGulp(env);
} finally {
  await mock?.close();
}
if (code !== 0) {
  console.error(`The demo build failed (gulp exited with ${code}); see the message above.`);
  process.exit(code);
}
const { files, bytes } = await summary(outDir);
console.log(
  `Wrote ${files} file${files === 1 ? '' : 's'} (${(bytes / 1024).toFixed(1)} KB) ` +
    `to ./${relative(process.cwd(), outDir)}: open ${relative(process.cwd(), outDir)}/index.html through a web ` +
    `server, e.g. npx serve ${relative(process.cwd(), outDir)}`,
);
