// Which machine a bench ran on, and how busy it was: the CPU model, cores, memory, load at start and end.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.replace(/^model name\s*:\s*/, '').trim();
  } catch {
    // not Linux: os.cpus() below
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

const version = (cmd: string) => {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }).split('\n')[0]?.trim();
  } catch {
    return 'unknown';
  }
};

/** The 1, 5 and 15 minute load averages, e.g. "2.10 / 1.50 / 0.90". */
export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

export function machineLine(loadAtStart: string, loadAtEnd: string): string {
  return (
    `Machine: ${cpus().length} × ${cpuModel()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ` +
    `${version("curl --version | cut -d' ' -f1-2")}; ${version("unzip -v | cut -d' ' -f1-2")}. ` +
    `Load average (1 / 5 / 15 min) at start ${loadAtStart}, at end ${loadAtEnd}.`
  );
}
