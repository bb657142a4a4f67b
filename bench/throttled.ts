// The throttled link: the mock's bandwidth fault on the download route, and what each contender takes from
// "job complete" to its last file written, against curl alone at the same rate.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cliEnv, curlThenUnzip, direct, plugin, type Target } from './contenders.js';
import { median } from './measure.js';
import type { MockProcess } from './mock-process.js';

/** A line the contender prints when the job is complete (the plugin's marker, the CLI's progress line). */
const JOB_COMPLETE = /^job complete$|completed \(poll/m;

interface Timed {
  /** From "job complete" (or the start, for those that do not start a job) to the process's exit. */
  afterJobMs: number;
}

/** Runs a command; times from the job-complete line it prints (or from its start) to its exit. */
function timed(command: string[], env: NodeJS.ProcessEnv, marked: boolean): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let completeAt = marked ? undefined : started;
    let output = '';
    const child = spawn(command[0] as string, command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const watch = (d: Buffer) => {
      output += d;
      if (completeAt === undefined && JOB_COMPLETE.test(output)) completeAt = performance.now();
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('close', (code) => {
      const ended = performance.now();
      if (code !== 0 || completeAt === undefined) {
        reject(
          new Error(
            `${command.join(' ')} failed (${code}) or never said the job was complete:\n${output.slice(-2000)}`,
          ),
        );
        return;
      }
      resolve({ afterJobMs: ended - completeAt });
    });
  });
}

export interface ThrottledRow {
  bytesPerSecond: number;
  contender: string;
  /** Medians, ms. */
  afterJobMs: number;
  runs: number[];
}

export const CURL_ALONE = 'curl alone (download only)';
export const CURL_UNZIP = 'curl, then unzip -q';

export async function throttledTable(
  mock: MockProcess,
  target: Target,
  rates: number[],
  rounds: number,
  work: string,
  keys: string[] = [],
): Promise<ThrottledRow[]> {
  const all: Array<{
    key: string;
    name: string;
    command: (out: string) => string[];
    env?: NodeJS.ProcessEnv;
    marked: boolean;
  }> = [
    { key: 'curl', name: CURL_ALONE, command: (out) => ['curl', '-sf', '-o', `${out}.zip`, target.url], marked: false },
    { key: 'unzip', name: CURL_UNZIP, command: curlThenUnzip(target.url), marked: false },
    { key: 'plugin-buffer', name: 'gulp-playcanvas, buffer contents', command: plugin(target, 'buffer'), marked: true },
    {
      key: 'plugin-stream',
      name: 'gulp-playcanvas, streaming contents',
      command: plugin(target, 'stream'),
      marked: true,
    },
    {
      key: 'cli',
      name: 'direct writer: playcanvas-build CLI',
      command: direct(target),
      env: cliEnv(target),
      marked: true,
    },
  ];
  // curl alone is what the targets are read against: always run
  const contenders = keys.length ? all.filter((c) => c.key === 'curl' || keys.includes(c.key)) : all;
  const rows: ThrottledRow[] = [];
  let run = 0;
  for (const bytesPerSecond of rates) {
    await mock.admin('DELETE', '/faults');
    await mock.admin('POST', '/faults', { route: 'download', fault: { type: 'bandwidth', bytesPerSecond } });
    const results = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < contenders.length; i++) {
        const c = contenders[(i + round) % contenders.length] as (typeof contenders)[number];
        const out = join(work, `throttled-${run++}`);
        const m = await timed(c.command(out), c.env ?? process.env, c.marked);
        results.get(c.name)?.push(m.afterJobMs);
        console.log(
          `  ${(bytesPerSecond / 1e6).toFixed(0)} MB/s round ${round + 1} ${c.name}: ` +
            `${(m.afterJobMs / 1000).toFixed(2)} s`,
        );
        await rm(out, { recursive: true, force: true });
        await rm(`${out}.zip`, { force: true });
      }
    }
    for (const [contender, runs] of results) rows.push({ bytesPerSecond, contender, afterJobMs: median(runs), runs });
  }
  await mock.admin('DELETE', '/faults');
  return rows;
}
