// One contender under `node --cpu-prof` against the bench's mock (the large synthetic build, archive cached):
// where the main thread's time goes, by category, and the top functions by self time. With --perf, also under
// `perf record` (node --perf-basic-prof), for the time outside JavaScript (zlib, the kernel, the thread pool).
//   node --import tsx profile.ts [--contender cli|plugin-buffer|plugin-stream] [--size large|small] [--perf]
//   (--perf needs perf and root or perf_event_paranoid <= 1; Node leaves its symbol map in /tmp/perf-<pid>.map)
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { finishedJob, startBenchMock, TOKEN } from './bench-mock.js';
import { downloadContenders } from './contenders.js';
import { type Category, categoryOf, type ProfileNode } from './profile-categories.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(here, '.profile');
const MiB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    contender: { type: 'string', default: 'cli' },
    size: { type: 'string', default: 'large' },
    perf: { type: 'boolean', default: false },
  },
});
const build =
  values.size === 'small'
    ? { label: 'small', projectId: 1101, files: 100, totalBytes: 5 * MiB }
    : { label: 'large', projectId: 1102, files: 2000, totalBytes: 250 * MiB };

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const mock = await startBenchMock(work, [build]);
try {
  const url = await finishedJob(mock.url, build.projectId);
  await (await fetch(url)).arrayBuffer(); // the mock makes and caches the archive first
  const target = { baseUrl: mock.url, token: TOKEN, projectId: build.projectId, url, tree: '' };
  const contender = downloadContenders(target, [values.contender as string])[0];
  if (!contender) throw new Error(`no contender ${values.contender}`);
  const [node, ...rest] = contender.command(join(work, 'out'));
  if (node !== 'node') throw new Error(`${values.contender} is not a Node process`);
  const profDir = join(work, 'prof');
  const started = performance.now();
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...rest], {
      env: contender.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = (d: Buffer) => {
      for (const line of String(d).split('\n').filter(Boolean))
        lines.push(`${((performance.now() - started) / 1000).toFixed(2)} s  ${line}`);
    };
    child.stdout.on('data', log);
    child.stderr.on('data', log);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exited ${code}:\n${lines.join('\n')}`))));
  });
  const wallMs = performance.now() - started;
  const file = (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const profile = JSON.parse(await readFile(join(profDir, file), 'utf8')) as CpuProfile;
  report(profile, wallMs, lines);
  if (values.perf) perfReport(node, rest);
} finally {
  await mock.stop();
}

function report(profile: CpuProfile, wallMs: number, lines: string[]): void {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const byCategory = new Map<Category, number>();
  const byFunction = new Map<string, { ms: number; category: Category }>();
  for (const n of profile.nodes) {
    const ms = self.get(n.id) ?? 0;
    if (ms === 0) continue;
    const category = categoryOf(n);
    byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
    const where = n.callFrame.url.replace(/^.*\/(packages|node_modules)\//, '$1/');
    const line = where ? `:${n.callFrame.lineNumber + 1}` : '';
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${where}${line}`;
    const prior = byFunction.get(key);
    byFunction.set(key, { ms: (prior?.ms ?? 0) + ms, category });
  }
  const profiledMs = (profile.endTime - profile.startTime) / 1000;
  console.log(
    `\n${values.contender}, ${build.label} build: wall ${(wallMs / 1000).toFixed(2)} s (process), ` +
      `profiled ${(profiledMs / 1000).toFixed(2)} s (from V8 ready to exit)\n`,
  );
  console.log('Output, with seconds since the process started:');
  for (const line of lines.slice(0, 12)) console.log(`  ${line}`);
  console.log('\nMain thread self time by category:');
  for (const [category, ms] of [...byCategory].sort((a, b) => b[1] - a[1]))
    console.log(`  ${category.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${((100 * ms) / profiledMs).toFixed(1)} %`);
  console.log('\nTop 30 functions by self time:');
  for (const [key, { ms, category }] of [...byFunction].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30))
    console.log(`  ${ms.toFixed(0).padStart(6)} ms  [${category}]  ${key}`);
}

function perfReport(node: string, rest: string[]): void {
  const data = join(work, 'perf.data');
  execFileSync('perf', ['record', '-q', '-F', '999', '-g', '-o', data, '--', node, '--perf-basic-prof', ...rest], {
    env: {
      ...process.env,
      ...downloadContenders({ baseUrl: mock.url, token: TOKEN, projectId: 0, url: '', tree: '' }, [
        values.contender as string,
      ])[0]?.env,
    },
    stdio: 'ignore',
    cwd: work, // V8's isolate log lands here, not in bench/
  });
  // threads by id: the lowest is the main thread; then V8's platform workers (GC, compiling), then libuv's pool
  // (inflate, file system calls), usually 4 at about the same share
  console.log('\nperf: CPU samples by thread (the first id is the main thread), by shared object, by symbol:');
  for (const sort of ['pid', 'dso', 'sym']) {
    const out = execFileSync('perf', ['report', '-i', data, '--stdio', '--no-children', '--sort', sort, '-g', 'none'], {
      encoding: 'utf8',
      maxBuffer: 64 * MiB,
    });
    console.log(
      out
        .split('\n')
        .filter((l) => /^\s+\d/.test(l))
        .slice(0, 20)
        .join('\n'),
    );
  }
}
