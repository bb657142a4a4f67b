// bench/RESULTS.md as tables: the loopback runs, memory as the archive doubles, the CRC-32 check's cost, the
// throttled link, the mock's archive generation, polling economy.
import type { Kind } from './contenders.js';
import { type Measurement, median } from './measure.js';
import type { PollingResult } from './polling.js';
import { CURL_ALONE, CURL_UNZIP, type ThrottledRow } from './throttled.js';

const MiB = 1024 * 1024;

export interface Size {
  label: string;
  files: number;
  totalBytes: number;
  rounds: number;
}

export interface Row {
  size: string;
  archiveMiB: number;
  contender: string;
  kind: Kind;
  runs: Measurement[];
}

export interface Generated {
  size: string;
  archiveMiB: number;
  /** From asking for the archive to its first byte: the mock making it. */
  firstByteMs: number;
}

/** zlib.crc32 over every byte of a build, timed apart: what checking each entry's CRC-32 costs. */
export interface CrcCheck {
  size: string;
  bytes: number;
  ms: number;
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const walls = (r: Row) => r.runs.map((m) => m.wallMs);

/** The floor a row is read against: gulp's own copy in the same content mode, for the plugin. */
const GULP_FLOOR: Partial<Record<Kind, Kind>> = { 'plugin-buffer': 'gulp-buffer', 'plugin-stream': 'gulp-stream' };

function loopback(size: Size, group: Row[]): string[] {
  const floorOf = (kind: Kind) => median(group.find((r) => r.kind === kind)?.runs.map((m) => m.wallMs) ?? [Number.NaN]);
  const floor = floorOf('floor');
  const lines = [
    `### ${size.label}: ${size.files} files, ${(size.totalBytes / MiB).toFixed(0)} MiB, ` +
      `archive ${(group[0]?.archiveMiB ?? 0).toFixed(1)} MiB, ${size.rounds} rounds`,
    '',
    '| contender | wall time, median (min–max) | × curl + unzip | × gulp floor | CPU time, median | ' +
      'peak memory, median (max) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of group) {
    const w = walls(r);
    const peaks = r.runs.map((m) => m.peakMiB);
    const gulpFloor = GULP_FLOOR[r.kind];
    lines.push(
      `| ${r.contender} | ${s(median(w))} s (${s(Math.min(...w))}–${s(Math.max(...w))}) ` +
        `| ${(median(w) / floor).toFixed(2)} | ${gulpFloor ? (median(w) / floorOf(gulpFloor)).toFixed(2) : ''} | ` +
        `${s(median(r.runs.map((m) => m.cpuMs)))} s | ` +
        `${median(peaks).toFixed(0)} MiB (${Math.max(...peaks).toFixed(0)}) |`,
    );
  }
  lines.push('');
  return lines;
}

/** Peak memory of each contender for every size, side by side: flat, or growing with the archive. */
function memory(sizes: Size[], rows: Row[]): string[] {
  const large = sizes.filter((size) => rows.some((r) => r.size === size.label && r.archiveMiB > 50));
  if (large.length < 2) return [];
  const header = large.map(
    (size) => `${(rows.find((r) => r.size === size.label)?.archiveMiB ?? 0).toFixed(0)} MiB archive`,
  );
  const lines = [
    '## Memory as the archive doubles',
    '',
    'Peak resident memory of the process tree, median of the rounds above (max in brackets).',
    '',
    `| contender | ${header.join(' | ')} |`,
    `| --- | ${header.map(() => '---:').join(' | ')} |`,
  ];
  const names = [...new Set(rows.map((r) => r.contender))];
  for (const name of names) {
    const cells = large.map((size) => {
      const peaks = rows.find((r) => r.size === size.label && r.contender === name)?.runs.map((m) => m.peakMiB) ?? [];
      return peaks.length ? `${median(peaks).toFixed(0)} MiB (${Math.max(...peaks).toFixed(0)})` : '';
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  return lines;
}

function throttled(rows: ThrottledRow[], archiveMiB: number, rounds: number): string[] {
  if (rows.length === 0) return [];
  const lines = [
    '## A throttled link',
    '',
    `The mock's \`bandwidth\` fault on the download route, the ${archiveMiB.toFixed(0)} MiB archive, ` +
      `${rounds} alternating rounds. Time from "job complete" (the line the plugin and the CLI log) ` +
      `to the process's exit, the last file written; curl's from its start. Medians (min–max).`,
    '',
    '| link | contender | job complete → last file | × curl alone | × curl, then unzip |',
    '| ---: | --- | ---: | ---: | ---: |',
  ];
  for (const rate of [...new Set(rows.map((r) => r.bytesPerSecond))]) {
    const group = rows.filter((r) => r.bytesPerSecond === rate);
    const curl = group.find((r) => r.contender === CURL_ALONE)?.afterJobMs ?? Number.NaN;
    const curlUnzip = group.find((r) => r.contender === CURL_UNZIP)?.afterJobMs ?? Number.NaN;
    for (const r of group) {
      lines.push(
        `| ${(rate / 1e6).toFixed(0)} MB/s | ${r.contender} | ${s(r.afterJobMs)} s ` +
          `(${s(Math.min(...r.runs))}–${s(Math.max(...r.runs))}) | ${(r.afterJobMs / curl).toFixed(2)} | ` +
          `${(r.afterJobMs / curlUnzip).toFixed(2)} |`,
      );
    }
  }
  lines.push('');
  return lines;
}

function generation(made: Generated[]): string[] {
  return [
    "## The mock's archives",
    '',
    "Time from asking for a finished job's archive to its first byte, the first time: " +
      'the mock making the zip (several entries deflated at once, deterministic bytes).',
    '',
    '| build | archive | made in |',
    '| --- | ---: | ---: |',
    ...made.map((m) => `| ${m.size} | ${m.archiveMiB.toFixed(1)} MiB | ${s(m.firstByteMs)} s |`),
    '',
  ];
}

/** The CRC-32 check's price beside the plugin's whole run on the same build. */
function crcChecks(checks: CrcCheck[], rows: Row[]): string[] {
  const plugin = (size: string) => {
    const row = rows.find((r) => r.size === size && r.kind === 'plugin-buffer');
    return row ? median(walls(row)) : Number.NaN;
  };
  return [
    '## The CRC-32 check',
    '',
    "Every entry's CRC-32 is checked as it is inflated (buffered, streamed, the zip whole, the direct writer). " +
      'Its price: `zlib.crc32` over every byte of the build, median of 5 passes over the files in memory, ' +
      "beside the plugin's median wall time with buffer contents on the same build.",
    '',
    '| build | bytes checked | CRC-32 time | share of the plugin run |',
    '| --- | ---: | ---: | ---: |',
    ...checks.map(
      (c) =>
        `| ${c.size} | ${(c.bytes / MiB).toFixed(0)} MiB | ${c.ms.toFixed(0)} ms | ` +
        `${((100 * c.ms) / plugin(c.size)).toFixed(1)} % |`,
    ),
    '',
  ];
}

function polling(results: PollingResult[]): string[] {
  return [
    '## Polling economy',
    '',
    "Jobs that finish a set time after they start, on the mock's clock running in real time. Delay: " +
      'from the job finishing to the poll that saw it. The mock is at the documented organization limits (normal: ' +
      '240 a minute).',
    '',
    '| job length | contender | requests | detection delay | 429s |',
    '| ---: | --- | ---: | ---: | ---: |',
    ...results.map(
      (p) => `| ${s(p.jobMs)} s | ${p.contender} | ${p.requests} | ${s(p.delayMs)} s | ${p.rateLimited} |`,
    ),
    '',
  ];
}

export function renderResults(input: {
  date: string;
  quick: boolean;
  machine: string;
  /** The issue-24 targets, met or missed (targets.ts). */
  targets: string[];
  sizes: Size[];
  rows: Row[];
  made: Generated[];
  crc: CrcCheck[];
  throttled: ThrottledRow[];
  throttledArchiveMiB: number;
  throttledRounds: number;
  polling: PollingResult[];
  notes: string | undefined;
}): string {
  const lines: string[] = [
    '# Benchmarks',
    '',
    `Generated by \`pnpm bench\` on ${input.date}${input.quick ? ' (BENCH_QUICK: small build only)' : ''}.`,
    '',
    input.machine,
    'Shared machine: figures are medians of alternating rounds, compared within one run.',
    '',
    ...input.targets,
    '## Download and extract',
    '',
    'Each contender runs in a process of its own under GNU time, writing every file of the build to disk; ' +
      'wall time includes process start-up, peak memory is the largest resident set of the process tree. ' +
      'gulp-playcanvas and the CLI also start the job and poll it once (first poll after 10 ms here), ' +
      'then fetch the archive from the mock over loopback, as curl and the other ways do. ' +
      'The gulp floor is gulp copying the same build, already extracted, from one folder to another (`gulp.src(tree, ' +
      '{ encoding: false })` into `gulp.dest`): what any gulp plugin pays for gulp.dest, ' +
      'with nothing downloaded or inflated.',
    '',
  ];
  for (const size of input.sizes)
    lines.push(
      ...loopback(
        size,
        input.rows.filter((r) => r.size === size.label),
      ),
    );
  lines.push(...memory(input.sizes, input.rows));
  if (input.crc.length) lines.push(...crcChecks(input.crc, input.rows));
  lines.push(...throttled(input.throttled, input.throttledArchiveMiB, input.throttledRounds));
  lines.push(...generation(input.made));
  if (input.polling.length) lines.push(...polling(input.polling));
  if (input.notes) lines.push(input.notes.trim(), '');
  return lines.join('\n');
}
