import { type FileHandle, open } from 'node:fs/promises';
import { type ByteSource, readFully } from './byte-source.js';

interface Waiter {
  start: number;
  end: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A spool file being written in pieces (the end of an archive first, then its body), and what has arrived of
 * it: readers wait for the bytes they ask for, and fail with the download's error if those never come. The
 * writer says what it wrote once it is on disk (`arrived`), or why no more will come (`fail`).
 */
export class ArrivingFile {
  /** Disjoint, sorted [start, end) spans on disk. */
  private spans: Array<[number, number]> = [];
  private waiters: Waiter[] = [];
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    readonly size: number,
  ) {}

  /** Bytes on disk so far. */
  get arrivedBytes(): number {
    return this.spans.reduce((sum, [a, b]) => sum + b - a, 0);
  }

  has(start: number, end: number): boolean {
    if (end <= start) return true;
    return this.spans.some(([a, b]) => a <= start && end <= b);
  }

  /** Bytes `start` to `end` are on disk: readers waiting for them go on. */
  arrived(start: number, end: number): void {
    if (end <= start) return;
    const spans = [...this.spans, [start, end] as [number, number]].sort((x, y) => x[0] - y[0]);
    const merged: Array<[number, number]> = [];
    for (const span of spans) {
      const last = merged.at(-1);
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([span[0], span[1]]);
    }
    this.spans = merged;
    this.waiters = this.waiters.filter((w) => {
      if (!this.has(w.start, w.end)) return true;
      w.resolve();
      return false;
    });
  }

  /** No more bytes will come: every reader still waiting, and every later one, fails with `error` (the first given). */
  fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.reject(this.failure);
  }

  /** Resolves once bytes `start` to `end` (clamped to the file) are on disk. */
  waitFor(start: number, end: number): Promise<void> {
    const to = Math.min(end, this.size);
    if (this.has(start, to)) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ start, end: to, resolve, reject }));
  }

  /** A reader of the file: each read waits for its bytes, then reads them from disk. */
  async source(): Promise<ByteSource> {
    const handle: FileHandle = await open(this.path, 'r');
    return {
      size: this.size,
      read: async (buffer, offset, length, position) => {
        await this.waitFor(position, position + length);
        return readFully(handle, buffer, offset, Math.max(0, Math.min(length, this.size - position)), position);
      },
      close: () => handle.close(),
    };
  }
}
