// pnpm bench: download-and-extract against curl + unzip, memory against the jszip way, polling economy.
// Writes bench/RESULTS.md. Needs curl, unzip and GNU time (/usr/bin/time). Takes several minutes.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixtures } from 'playcanvas-mock-server';
import { type Measurement, measure, median } from './measure.js';
import { startMockProcess } from './mock-process.js';
import { pollingEconomy } from './polling.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(here, '.work');
const MiB = 1024 * 1024;
const TOKEN = 'mock-dev-token';
const quick = process.env.BENCH_QUICK === '1';

const SIZES = [
  { label: 'small', projectId: 1101, files: 100, totalBytes: 5 * MiB, rounds: 5 },
  { label: 'large', projectId: 1102, files: 2000, totalBytes: 250 * MiB, rounds: 3 },
  { label: 'large, twice the size', projectId: 1103, files: 4000, totalBytes: 500 * MiB, rounds: 2 },
].filter((s) => !quick || s.label === 'small');

for (const tool of ['/usr/bin/time', 'curl', 'unzip']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`pnpm bench needs ${tool}: apt-get install ${tool === '/usr/bin/time' ? 'time' : tool}`);
  }
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) n += 1;
  return n;
}

async function finishedJob(baseUrl: string, projectId: number): Promise<string> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const job = (await (
    await fetch(`${baseUrl}/api/apps/download`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ project_id: projectId, name: 'Bench', scenes: [2000] }),
    })
  ).json()) as {
    id: number;
  };
  for (;;) {
    const polled = (await (await fetch(`${baseUrl}/api/jobs/${job.id}`, { headers })).json()) as { status: string; data: { download_url?: string } };
    if (polled.status === 'complete' && polled.data.download_url) return polled.data.download_url;
  }
}

await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const fixtures = defaultFixtures();
const base = fixtures.projects[0];
if (!base) throw new Error('no default project');
for (const size of SIZES) {
  fixtures.projects.push({
    ...base,
    id: size.projectId,
    name: `Bench ${size.label}`,
    synthetic: { files: size.files, totalBytes: size.totalBytes, incompressibleRatio: 0.5 },
  });
  fixtures.tokens[0]?.projects.push(size.projectId);
}
const fixturesFile = join(work, 'fixtures.json');
await writeFile(fixturesFile, JSON.stringify(fixtures));
const mock = await startMockProcess(['--fixtures', fixturesFile, '--polls', '1', '--clock', 'frozen']);
await mock.admin('PUT', '/rate-limits', { limits: { strict: 100_000, normal: 100_000 } });

interface Row {
  size: string;
  archiveMiB: number;
  contender: string;
  runs: Measurement[];
}
const rows: Row[] = [];
const contenders = (url: string, projectId: number) =>
  [
    [
      'gulp-playcanvas, buffer contents',
      (out: string) => ['node', join(here, 'contenders/plugin.mjs'), mock.url, TOKEN, String(projectId), out, 'buffer'],
    ],
    [
      'gulp-playcanvas, streaming contents',
      (out: string) => ['node', join(here, 'contenders/plugin.mjs'), mock.url, TOKEN, String(projectId), out, 'stream'],
    ],
    [
      'floor: curl, then unzip -q',
      (out: string) => ['sh', '-c', `curl -sf -o "${out}.zip" "${url}" && unzip -q "${out}.zip" -d "${out}" && rm "${out}.zip"`],
    ],
    ['jszip: body in memory, loadAsync, write each', (out: string) => ['node', join(here, 'contenders/jszip-way.mjs'), url, out]],
    ['gulp-download-stream + gulp-unzip', (out: string) => ['node', join(here, 'contenders/download-unzip.mjs'), url, out]],
  ] as const;

let run = 0;
for (const size of SIZES) {
  const t0 = performance.now();
  const url = await finishedJob(mock.url, size.projectId);
  const head = await fetch(url);
  const archiveBytes = Number(head.headers.get('content-length'));
  await head.body?.cancel();
  console.log(
    `${size.label}: ${size.files} files, ${(size.totalBytes / MiB).toFixed(0)} MiB, archive ${(archiveBytes / MiB).toFixed(1)} MiB (made in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const list = contenders(url, size.projectId);
  const results = new Map<string, Measurement[]>(list.map(([name]) => [name, []]));
  for (let round = 0; round < size.rounds; round++) {
    // alternate the order, so no contender always runs first (or last) with a cold or busy machine
    const order = list.map((_, i) => list[(i + round) % list.length] as (typeof list)[number]);
    for (const [name, command] of order) {
      const out = join(work, `out-${run++}`);
      const m = await measure(command(out) as unknown as string[]);
      const files = existsSync(out) ? await countFiles(out) : 0;
      const expected = size.files + 15;
      if (files < expected - 2) throw new Error(`${name} wrote ${files} files, expected about ${expected}`);
      results.get(name)?.push(m);
      console.log(`  round ${round + 1} ${name}: ${(m.wallMs / 1000).toFixed(2)} s, peak ${m.peakMiB.toFixed(0)} MiB`);
      await rm(out, { recursive: true, force: true });
    }
  }
  for (const [contender, runs] of results) rows.push({ size: size.label, archiveMiB: archiveBytes / MiB, contender, runs });
}

await mock.admin('PUT', '/rate-limits', { limits: { strict: 10, normal: 240 } });
const polling = await pollingEconomy(mock, quick ? [500, 5000] : [500, 5000, 60_000]);
await mock.stop();
await rm(work, { recursive: true, force: true });

// --- RESULTS.md
const version = (cmd: string) => {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }).split('\n')[0]?.trim();
  } catch {
    return 'unknown';
  }
};
const s = (ms: number) => (ms / 1000).toFixed(2);
const lines: string[] = [
  '# Benchmarks',
  '',
  `Generated by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}${quick ? ' (BENCH_QUICK: small build only)' : ''}.`,
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${version("curl --version | cut -d' ' -f1-2")}; ${version("unzip -v | cut -d' ' -f1-2")}.`,
  'Shared machine: figures are medians of alternating rounds, compared within one run.',
  '',
  '## Download and extract',
  '',
  'Each contender runs in a process of its own under GNU time, fetching the same archive from the mock over loopback and writing every file to disk. Wall time includes process start-up; peak memory is the largest resident set of the process tree. gulp-playcanvas also starts the job and polls it once (first poll after 10 ms here).',
  '',
];
for (const size of SIZES) {
  const group = rows.filter((r) => r.size === size.label);
  const floor = median(group.find((r) => r.contender.startsWith('floor'))?.runs.map((m) => m.wallMs) ?? [Number.NaN]);
  lines.push(
    `### ${size.label}: ${size.files} files, ${(size.totalBytes / MiB).toFixed(0)} MiB, archive ${(group[0]?.archiveMiB ?? 0).toFixed(1)} MiB, ${size.rounds} rounds`,
    '',
  );
  lines.push('| contender | wall time, median (min–max) | × floor | peak memory, median (max) |', '| --- | ---: | ---: | ---: |');
  for (const r of group) {
    const walls = r.runs.map((m) => m.wallMs);
    const peaks = r.runs.map((m) => m.peakMiB);
    lines.push(
      `| ${r.contender} | ${s(median(walls))} s (${s(Math.min(...walls))}–${s(Math.max(...walls))}) | ${(median(walls) / floor).toFixed(2)} | ${median(peaks).toFixed(0)} MiB (${Math.max(...peaks).toFixed(0)}) |`,
    );
  }
  lines.push('');
}
lines.push(
  '## Polling economy',
  '',
  "Jobs that finish a set time after they start, on the mock's clock running in real time. Delay: from the job finishing to the poll that saw it. The mock is at the documented organization limits (normal: 240 a minute).",
  '',
);
lines.push('| job length | contender | requests | detection delay | 429s |', '| ---: | --- | ---: | ---: | ---: |');
for (const p of polling) lines.push(`| ${s(p.jobMs)} s | ${p.contender} | ${p.requests} | ${s(p.delayMs)} s | ${p.rateLimited} |`);
lines.push('');
const notes = join(here, 'NOTES.md');
if (existsSync(notes)) lines.push((await readFile(notes, 'utf8')).trim(), '');
await writeFile(join(here, 'RESULTS.md'), lines.join('\n'));
console.log(lines.join('\n'));
