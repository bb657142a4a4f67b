// Issue 24's targets, each read from this run's own measurements: met, missed, or not measured (a subset).
import type { Kind } from './contenders.js';
import { median } from './measure.js';
import type { Row } from './report.js';
import { CURL_ALONE, type ThrottledRow } from './throttled.js';

export interface TargetResult {
  target: string;
  /** What was measured, e.g. "1.08× (3.10 s against 2.87 s)"; undefined when not measured in this run. */
  measured: string | undefined;
  met: boolean | undefined;
}

const SIZE = 'large';
const DIRECT_THROTTLED = 'direct writer: playcanvas-build CLI';
const s = (ms: number) => (ms / 1000).toFixed(2);

function ratio(rows: Row[], kind: Kind, floorKind: Kind, limit: number, target: string): TargetResult {
  const wall = (k: Kind) => {
    const row = rows.find((r) => r.size === SIZE && r.kind === k);
    return row?.runs.length ? median(row.runs.map((m) => m.wallMs)) : undefined;
  };
  const ours = wall(kind);
  const floor = wall(floorKind);
  if (ours === undefined || floor === undefined) return { target, measured: undefined, met: undefined };
  const x = ours / floor;
  return { target, measured: `${x.toFixed(2)}× (${s(ours)} s against ${s(floor)} s)`, met: x <= limit };
}

function streamingMemory(rows: Row[]): TargetResult {
  const target = "streaming peak memory ≤ gulp's streamed copy + 10 MiB (large build)";
  const peak = (k: Kind) => {
    const row = rows.find((r) => r.size === SIZE && r.kind === k);
    return row?.runs.length ? median(row.runs.map((m) => m.peakMiB)) : undefined;
  };
  const ours = peak('plugin-stream');
  const gulp = peak('gulp-stream');
  if (ours === undefined || gulp === undefined) return { target, measured: undefined, met: undefined };
  return {
    target,
    measured: `${ours.toFixed(0)} MiB against ${gulp.toFixed(0)} MiB (+${(ours - gulp).toFixed(0)} MiB)`,
    met: ours <= gulp + 10,
  };
}

function throttledDirect(rows: ThrottledRow[], bytesPerSecond: number): TargetResult {
  const target =
    `throttled ${(bytesPerSecond / 1e6).toFixed(0)} MB/s: direct writer, ` +
    'job complete → last file ≤ 1.1× curl alone';
  const at = rows.filter((r) => r.bytesPerSecond === bytesPerSecond);
  const curl = at.find((r) => r.contender === CURL_ALONE)?.afterJobMs;
  const ours = at.find((r) => r.contender === DIRECT_THROTTLED)?.afterJobMs;
  if (curl === undefined || ours === undefined) return { target, measured: undefined, met: undefined };
  const x = ours / curl;
  return { target, measured: `${x.toFixed(2)}× (${s(ours)} s against ${s(curl)} s)`, met: x <= 1.1 };
}

export function issue24Targets(rows: Row[], throttled: ThrottledRow[], rates: number[]): TargetResult[] {
  return [
    ratio(rows, 'direct', 'floor', 1.1, 'direct writer (the CLI) ≤ 1.1× curl + unzip (large build)'),
    ratio(rows, 'plugin-buffer', 'gulp-buffer', 1.05, "plugin, buffer contents ≤ 1.05× gulp's own copy (large build)"),
    ratio(
      rows,
      'plugin-stream',
      'gulp-stream',
      1.05,
      "plugin, streaming contents ≤ 1.05× gulp's own copy (large build)",
    ),
    streamingMemory(rows),
    ...rates.map((rate) => throttledDirect(throttled, rate)),
  ];
}

export function targetLines(results: TargetResult[]): string[] {
  return [
    '## Targets (issue 24)',
    '',
    'Read from this run alone: medians against the floor measured in the same alternating rounds.',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.target} | ${r.measured ?? 'not measured in this run'} | ` +
        `${r.met === undefined ? '' : r.met ? 'met' : '**missed**'} |`,
    ),
    '',
  ];
}
