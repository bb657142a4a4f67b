import { Readable, Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Request, Response } from 'express';
import {
  BODY_FAULTS,
  FAULT_LIMITS,
  type Fault,
  type FaultRule,
  type HostileEntry,
  validateFaultRule,
} from './fault-rules.js';
import type { RouteName } from './routes/table.js';

export {
  BODY_FAULTS,
  FAULT_LIMITS,
  type Fault,
  FaultError,
  type FaultRule,
  type HostileEntry,
  validateFaultRule,
} from './fault-rules.js';

/** Which scripted rules fire for a request, and how their faults shape the answer. */
interface ActiveRule extends FaultRule {
  id: number;
  seen: number;
  applied: number;
}

export class FaultPlan {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  /** Adds rules, all or none: every one is checked before any is added. Returns their ids. */
  add(...rules: unknown[]): number[] {
    const valid = rules.map(validateFaultRule);
    return valid.map((rule) => {
      const id = this.nextId++;
      this.rules.push({ ...rule, id, seen: 0, applied: 0 });
      return id;
    });
  }

  /** The faults that fire for this request, in the order they were added; counts the request against each rule. */
  take(route: RouteName | 'unknown'): Fault[] {
    const fired: Fault[] = [];
    for (const rule of this.rules) {
      if (rule.route !== '*' && rule.route !== route) continue;
      if (rule.route === '*' && BODY_FAULTS.has(rule.fault.type) && route !== 'download') continue;
      rule.seen += 1;
      if (rule.seen <= (rule.after ?? 0)) continue;
      if (rule.times !== undefined && rule.applied >= rule.times) continue;
      rule.applied += 1;
      fired.push(rule.fault);
    }
    return fired;
  }

  list(): Array<FaultRule & { id: number; seen: number; applied: number }> {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }
}

/** Waits `ms`, but no longer than the client stays connected: a dropped request leaves no timer behind. */
function delay(ms: number, res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, FAULT_LIMITS.delayMs));
    res.once('close', done);
  });
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Too many requests';
  if (status === 500) return 'Internal server error';
  if (status === 502) return 'Bad gateway';
  if (status === 503) return 'Service unavailable';
  return `Injected error ${status}`;
}

/**
 * Applies the faults that act before an answer: latency, a reset connection, an error status (a 429 with
 * the rate-limit headers `now` and `limit` make). Returns true when a fault answered (or dropped) the request.
 * `res.locals.fault` names what fired, for the journal.
 */
export async function applyRequestFaults(
  faults: Fault[],
  req: Request,
  res: Response,
  rate: { nowMs: number; limit: number },
): Promise<boolean> {
  for (const fault of faults) {
    res.locals.fault = [res.locals.fault, fault.type].filter(Boolean).join(',');
    if (fault.type === 'latency') {
      await delay(fault.ms, res);
      if (res.destroyed || req.socket.destroyed) return true;
    } else if (fault.type === 'reset') {
      req.socket.resetAndDestroy();
      return true;
    } else if (fault.type === 'status') {
      if (fault.status === 429) {
        res.setHeader('X-RateLimit-Limit', String(rate.limit));
        res.setHeader('X-RateLimit-Remaining', '0');
        res.setHeader('X-RateLimit-Reset', String(Math.floor(rate.nowMs / 1000) + (fault.resetIn ?? 1)));
      }
      if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
      res.status(fault.status).json({ error: fault.error ?? defaultMessage(fault.status) });
      return true;
    } else if (fault.type === 'body') {
      res.status(fault.status ?? 200).json(fault.body);
      return true;
    }
  }
  return false;
}

const find = <T extends Fault['type']>(faults: Fault[], type: T) =>
  faults.find((f): f is Extract<Fault, { type: T }> => f.type === type);

/** What the download route's faults ask of the body. */
export function bodyFaults(faults: Fault[]): {
  hostile?: HostileEntry;
  truncate?: { bytes?: number };
  corrupt: boolean;
  /** The entry whose middle byte is flipped: the zip still opens, the entry fails its CRC (or its inflate). */
  corruptEntry?: string;
  /** The entry whose declared uncompressed size is misstated, in its central directory record and local header. */
  sizeLie?: { entry: string; size: number };
  endless: boolean;
  gzipBomb?: number;
  bytesPerSecond?: number;
  /** Range headers ignored: all of them (the whole file, 200, no Accept-Ranges), or only suffix ranges (bytes=-N). */
  noRanges?: 'all' | 'suffix';
} {
  const shaped: ReturnType<typeof bodyFaults> = {
    corrupt: faults.some((f) => f.type === 'corrupt-zip'),
    endless: faults.some((f) => f.type === 'endless'),
  };
  const hostile = find(faults, 'hostile-entry');
  if (hostile) shaped.hostile = hostile.entry;
  const truncate = find(faults, 'truncate');
  if (truncate) shaped.truncate = truncate.bytes === undefined ? {} : { bytes: truncate.bytes };
  const bomb = find(faults, 'gzip-bomb');
  if (bomb) shaped.gzipBomb = bomb.bytes;
  const altered = find(faults, 'corrupt-entry');
  if (altered) shaped.corruptEntry = altered.entry;
  const lie = find(faults, 'size-lie');
  if (lie) shaped.sizeLie = { entry: lie.entry, size: lie.size };
  const bandwidth = find(faults, 'bandwidth');
  if (bandwidth) shaped.bytesPerSecond = bandwidth.bytesPerSecond;
  const noRanges = find(faults, 'no-ranges');
  if (noRanges) shaped.noRanges = noRanges.suffix ? 'suffix' : 'all';
  return shaped;
}

const EOCD_LENGTH = 22;

/** Overwrites the end-of-central-directory signature as the bytes go by: the zip can no longer be opened. */
export function smashEndOfCentralDirectory(size: number, from = 0): Transform {
  let offset = from;
  const target = size - EOCD_LENGTH;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const start = offset;
      offset += chunk.length;
      if (target >= start && target < offset) {
        const copy = Buffer.from(chunk);
        for (let i = target - start; i < Math.min(copy.length, target - start + 4); i++) copy[i] = 0x00;
        callback(null, copy);
        return;
      }
      callback(null, chunk);
    },
  });
}

/** Replaces bytes at given offsets of the file (offset → new byte) as they go by. */
export function patchBytes(patches: ReadonlyMap<number, number>, from = 0): Transform {
  let offset = from;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const start = offset;
      offset += chunk.length;
      let copy: Buffer | undefined;
      for (const [at, value] of patches) {
        if (at < start || at >= offset) continue;
        copy ??= Buffer.from(chunk);
        copy[at - start] = value;
      }
      callback(null, copy ?? chunk);
    },
  });
}

/** Lets bytes through at `bytesPerSecond`, in slices, as a slow link would. */
export function throttle(bytesPerSecond: number): Transform {
  const slice = Math.max(1024, Math.floor(bytesPerSecond / 50));
  let sent = 0;
  let started = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      started ||= performance.now();
      const push = async () => {
        for (let i = 0; i < chunk.length; i += slice) {
          const piece = chunk.subarray(i, i + slice);
          sent += piece.length;
          const due = started + (sent / bytesPerSecond) * 1000 - performance.now();
          if (due > 0) await new Promise((r) => setTimeout(r, due));
          this.push(piece);
        }
      };
      push().then(() => callback(), callback);
    },
  });
}

/** Zeros without end, as fast as the reader takes them: a body with no Content-Length that never finishes. */
export function endlessBody(): Readable {
  const zeros = Buffer.alloc(64 * 1024);
  return new Readable({
    read() {
      this.push(zeros);
    },
  });
}

/** `bytes` zeros, gzip-encoded: a few kilobytes on the wire, any size once decoded. */
export function gzipBomb(bytes: number): Readable {
  let left = bytes;
  const zeros = Buffer.alloc(256 * 1024);
  const source = new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const n = Math.min(left, zeros.length);
      left -= n;
      this.push(zeros.subarray(0, n));
    },
  });
  return source.pipe(createGzip({ level: 9 }));
}
