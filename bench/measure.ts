import { spawn } from 'node:child_process';

export interface Measurement {
  wallMs: number;
  /**
   * Peak resident memory of the process tree, MiB (GNU time's %M: the largest of the process and its waited-for
   * children).
   */
  peakMiB: number;
  /** User + system CPU time of the process tree: less swayed than wall time by a machine others are busy on. */
  cpuMs: number;
}

/** Runs a command under /usr/bin/time and returns its wall time and peak RSS; fails with its output if it fails. */
export function measure(command: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '__TIME__ %M %U %S', ...command], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const [, kib, user, system] = /__TIME__ (\d+) ([\d.]+) ([\d.]+)/.exec(output) ?? [];
      if (code !== 0 || kib === undefined) {
        reject(new Error(`${command.join(' ')} failed (${code}):\n${output.slice(-2000)}`));
        return;
      }
      resolve({ wallMs, peakMiB: Number(kib) / 1024, cpuMs: 1000 * (Number(user) + Number(system)) });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
