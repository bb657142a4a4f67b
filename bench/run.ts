// pnpm bench: download-and-extract against curl + unzip and against gulp's own copy, memory as the archive
// doubles, a throttled link, the mock's archive generation, polling economy. Writes bench/RESULTS.md. Needs curl,
// unzip and GNU time (/usr/bin/time). Takes several minutes; BENCH_QUICK=1 runs the small build only, and the
// flags in args.ts run a subset (printed, not written to RESULTS.md), e.g.
//   pnpm bench --only large --rounds 3 --contenders cli,unzip --no-throttled --no-polling
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args.js';
import { finishedJob, startBenchMock, TOKEN } from './bench-mock.js';
import { downloadContenders, type Target } from './contenders.js';
import { crcCost } from './crc-cost.js';
import { load, machineLine } from './machine.js';
import { measure } from './measure.js';
import { pollingEconomy } from './polling.js';
import { type CrcCheck, type Generated, type Row, renderResults, type Size } from './report.js';
import { issue24Targets, targetLines } from './targets.js';
import { throttledTable } from './throttled.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(here, '.work');
const MiB = 1024 * 1024;
const quick = process.env.BENCH_QUICK === '1';
const args = benchArgs(process.argv.slice(2));
const THROTTLED = { rates: [25e6, 100e6], rounds: args.throttledRounds ?? 3 };
const loadAtStart = load();

const SIZES: Array<Size & { projectId: number; key: string }> = [
  { key: 'small', label: 'small', projectId: 1101, files: 100, totalBytes: 5 * MiB, rounds: 5 },
  { key: 'large', label: 'large', projectId: 1102, files: 2000, totalBytes: 250 * MiB, rounds: 5 },
  { key: 'twice', label: 'large, twice the size', projectId: 1103, files: 4000, totalBytes: 500 * MiB, rounds: 3 },
]
  .filter((s) => !quick || s.label === 'small')
  .filter((s) => args.only.length === 0 || args.only.includes(s.key))
  .map((s) => ({ ...s, rounds: args.rounds ?? s.rounds }));
const unknownSize = args.only.find((k) => !['small', 'large', 'twice'].includes(k));
if (unknownSize) throw new Error(`--only: no size ${unknownSize}; known: small, large, twice`);

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

await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const mock = await startBenchMock(work, SIZES);

const rows: Row[] = [];
const made: Generated[] = [];
const crc: CrcCheck[] = [];
const targets = new Map<string, Target & { archiveMiB: number }>();
let run = 0;
for (const size of SIZES) {
  const url = await finishedJob(mock.url, size.projectId);
  const t0 = performance.now();
  const first = await fetch(url);
  const firstByteMs = performance.now() - t0;
  const archiveBytes = Number(first.headers.get('content-length'));
  await first.body?.cancel();
  made.push({ size: size.label, archiveMiB: archiveBytes / MiB, firstByteMs });
  console.log(
    `${size.label}: ${size.files} files, ${(size.totalBytes / MiB).toFixed(0)} MiB, ` +
      `archive ${(archiveBytes / MiB).toFixed(1)} MiB (made in ${(firstByteMs / 1000).toFixed(2)} s)`,
  );
  // gulp's own copy reads the build extracted once, beforehand
  const tree = join(work, `tree-${size.projectId}`);
  const target: Target = { baseUrl: mock.url, token: TOKEN, projectId: size.projectId, url, tree };
  targets.set(size.label, { ...target, archiveMiB: archiveBytes / MiB });
  const list = downloadContenders(target, args.contenders, args.baseCli);
  if (args.full || list.some((c) => c.kind === 'gulp-buffer' || c.kind === 'gulp-stream')) {
    execFileSync('sh', [
      '-c',
      `curl -sf -o "${tree}.zip" "${url}" && unzip -q "${tree}.zip" -d "${tree}" && rm "${tree}.zip"`,
    ]);
    if (args.full) crc.push({ size: size.label, ...(await crcCost(tree)) });
  }
  const results = new Map<string, typeof rows>();
  for (const c of list) results.set(c.name, []);
  const measured = new Map(list.map((c) => [c.name, [] as Row['runs']]));
  for (let round = 0; round < size.rounds; round++) {
    // alternate the order, so no contender always runs first (or last) with a cold or busy machine
    for (let i = 0; i < list.length; i++) {
      const c = list[(i + round) % list.length] as (typeof list)[number];
      const out = join(work, `out-${run++}`);
      const m = await measure(c.command(out), c.env);
      const files = existsSync(out) ? await countFiles(out) : 0;
      const expected = size.files + 15;
      if (files < expected - 2) throw new Error(`${c.name} wrote ${files} files, expected about ${expected}`);
      measured.get(c.name)?.push(m);
      console.log(
        `  round ${round + 1} ${c.name}: ${(m.wallMs / 1000).toFixed(2)} s, CPU ${(m.cpuMs / 1000).toFixed(2)} s, ` +
          `peak ${m.peakMiB.toFixed(0)} MiB`,
      );
      await rm(out, { recursive: true, force: true });
    }
  }
  for (const c of list)
    rows.push({
      size: size.label,
      archiveMiB: archiveBytes / MiB,
      contender: c.name,
      kind: c.kind,
      runs: measured.get(c.name) ?? [],
    });
  await rm(tree, { recursive: true, force: true });
}

const throttledTarget = targets.get('large');
const throttled =
  throttledTarget && args.throttled
    ? await throttledTable(mock, throttledTarget, THROTTLED.rates, THROTTLED.rounds, work, args.contenders)
    : [];

await mock.admin('PUT', '/rate-limits', { limits: { strict: 10, normal: 240 } });
const polling = args.polling ? await pollingEconomy(mock, quick ? [500, 5000] : [500, 5000, 60_000]) : [];
await mock.stop();
await rm(work, { recursive: true, force: true });

const notes = join(here, 'NOTES.md');
const text = renderResults({
  date: new Date().toISOString().slice(0, 10),
  quick,
  machine: machineLine(loadAtStart, load()),
  targets: targetLines(issue24Targets(rows, throttled, throttled.length ? THROTTLED.rates : [])),
  sizes: SIZES,
  rows,
  made,
  crc,
  throttled,
  throttledArchiveMiB: throttledTarget?.archiveMiB ?? 0,
  throttledRounds: THROTTLED.rounds,
  polling,
  notes: args.full && existsSync(notes) ? await readFile(notes, 'utf8') : undefined,
});
if (args.full) await writeFile(join(here, 'RESULTS.md'), text);
else console.log('A subset of the bench: RESULTS.md left as it was.\n');
console.log(text);
