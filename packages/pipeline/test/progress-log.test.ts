import { describe, expect, it } from 'vitest';
import { type ProgressClock, ProgressLog, QUIET_MAX_MS } from '../src/index.js';

const MB = 1024 * 1024;

/** A clock the test moves: timers fire as time passes, in order, never on their own. */
class TestClock implements ProgressClock {
  private time = 0;
  private readonly timers = new Set<{ ms: number; tick: () => void; next: number }>();

  now(): number {
    return this.time;
  }

  every(ms: number, tick: () => void): () => void {
    const timer = { ms, tick, next: this.time + ms };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  get running(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, firing every timer that comes due on the way, and `each` every `step` ms. */
  advance(ms: number, step = 100, each?: (now: number) => void): void {
    const end = this.time + ms;
    while (this.time < end) {
      this.time = Math.min(end, this.time + step);
      for (const timer of [...this.timers]) {
        while (this.timers.has(timer) && timer.next <= this.time) {
          timer.next += timer.ms;
          timer.tick();
        }
      }
      each?.(this.time);
    }
  }
}

function logged() {
  const clock = new TestClock();
  const lines: Array<{ at: number; line: string }> = [];
  const log = new ProgressLog((_level, line) => lines.push({ at: clock.now(), line }), 'wrote', clock);
  return { clock, lines, log };
}

/** The longest stretch without a line between `from` and `to` (both ends counted). */
function longestSilence(lines: Array<{ at: number }>, from: number, to: number): number {
  const times = [from, ...lines.map((l) => l.at).filter((at) => at >= from && at <= to), to];
  return Math.max(...times.slice(1).map((at, i) => at - (times[i] as number)));
}

describe('progress log: never silent from job complete to the last file', () => {
  it('words the wait for the first byte, a slow download, a slow extraction, every 10 s at most, then stops', () => {
    const { clock, lines, log } = logged();
    log.event({ type: 'job-started', jobId: 7, kind: 'build' });
    log.event({ type: 'job-status', jobId: 7, status: 'complete', polls: 1 });
    const complete = clock.now();
    // 25 s with no byte and no event at all: the heartbeat alone speaks
    clock.advance(25_000);
    // a small archive (quarter steps would be noise) arriving slowly: 3 MB over 24 s
    const size = 3 * MB;
    clock.advance(24_000, 100, (now) =>
      log.event({
        type: 'download-progress',
        receivedBytes: Math.min(size, Math.round(((now - 49_000 + 24_000) / 24_000) * size)),
        totalBytes: size,
        bytesPerSecond: size / 24,
      }),
    );
    log.event({ type: 'download-complete', bytes: size, path: '/tmp/x.zip' });
    // 40 files; the third takes 22 s to write
    for (let file = 1; file <= 40; file++) {
      clock.advance(file === 3 ? 22_000 : 50);
      log.extracted(file, file * 1000, 40, 40_000);
    }
    log.done('wrote 40 files');
    const end = clock.now();
    clock.advance(60_000);

    expect(lines.map((l) => `${Math.round(l.at / 1000)} s: ${l.line}`)).toEqual([
      '0 s: build started, job 7',
      '0 s: job 7 completed (poll 1)',
      '10 s: waiting for the archive to start downloading (10 s so far)',
      '20 s: waiting for the archive to start downloading (20 s so far)',
      '30 s: downloaded 20% of 3.0 MB (128.0 KB/s)',
      '40 s: downloaded 62% of 3.0 MB (128.0 KB/s)',
      '49 s: downloaded the archive (3.0 MB)',
      '59 s: wrote 2 of 40 files (2.0 KB of 39.1 KB)',
      '69 s: wrote 2 of 40 files (2.0 KB of 39.1 KB)',
      '73 s: wrote 40 files',
    ]);
    expect(longestSilence(lines, complete, end)).toBeLessThanOrEqual(QUIET_MAX_MS);
    // after the last file, nothing: the heartbeat is gone
    expect(lines.at(-1)?.at).toBe(end);
    expect(clock.running).toBe(0);
  });

  it('gives quarter steps for a large download and many files, sooner than time steps', () => {
    const { clock, lines, log } = logged();
    log.event({ type: 'job-status', jobId: 7, status: 'complete', polls: 3 });
    const size = 40 * MB;
    // 40 MB in 4 s, then 400 files in 4 s
    clock.advance(4000, 100, (now) =>
      log.event({
        type: 'download-progress',
        receivedBytes: (now / 4000) * size,
        totalBytes: size,
        bytesPerSecond: 10 * MB,
      }),
    );
    log.event({ type: 'download-complete', bytes: size, path: '/tmp/x.zip' });
    let file = 0;
    clock.advance(4000, 10, () => {
      file += 1;
      log.extracted(file, file * 100, 400, 40_000);
    });
    log.done('wrote 400 files');
    expect(lines.map((l) => l.line)).toEqual([
      'job 7 completed (poll 3)',
      'downloaded 25% of 40.0 MB (10.0 MB/s)',
      'downloaded 50% of 40.0 MB (10.0 MB/s)',
      'downloaded 75% of 40.0 MB (10.0 MB/s)',
      'downloaded 100% of 40.0 MB (10.0 MB/s)',
      'downloaded the archive (40.0 MB)',
      'wrote 100 of 400 files (9.8 KB of 39.1 KB)',
      'wrote 200 of 400 files (19.5 KB of 39.1 KB)',
      'wrote 300 of 400 files (29.3 KB of 39.1 KB)',
      'wrote 400 files',
    ]);
  });

  it('stops its heartbeat when the build fails before the last file', () => {
    const { clock, lines, log } = logged();
    log.event({ type: 'job-status', jobId: 7, status: 'complete', polls: 1 });
    expect(clock.running).toBe(1);
    log.stop();
    log.stop();
    clock.advance(60_000);
    expect(lines).toHaveLength(1);
    expect(clock.running).toBe(0);
  });
});
