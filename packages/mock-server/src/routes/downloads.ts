import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Request, Router } from 'express';
import type { BuildSpec } from '../builds/spec.js';
import { entryLayout } from '../builds/zip-layout.js';
import {
  applyRequestFaults,
  bodyFaults,
  endlessBody,
  gzipBomb,
  patchBytes,
  smashEndOfCentralDirectory,
  throttle,
} from '../faults.js';
import { HttpError, notFound } from '../http-error.js';
import { stateOf } from '../namespaces.js';

/**
 * The byte range asked for (`bytes=N-`, `bytes=N-M` or `bytes=-N`, one range), honoured only while If-Range
 * still matches; suffix ranges only when `suffixes` (some hosts ignore them).
 */
function requestedRange(
  req: Request,
  size: number,
  etag: string,
  suffixes: boolean,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const header = req.headers.range;
  if (!header) return undefined;
  const ifRange = req.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag) return undefined;
  const suffix = /^bytes=-(\d{1,15})$/.exec(header.trim());
  if (suffix) {
    if (!suffixes) return undefined;
    const length = Number(suffix[1]);
    if (length === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const match = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

async function byteAt(file: string, offset: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const one = Buffer.alloc(1);
    await handle.read(one, 0, 1, offset);
    return one[0] as number;
  } finally {
    await handle.close();
  }
}

/**
 * The archive host: serves finished jobs' zips without authentication, as the real CDN URL does, with
 * ranges (206, 416) and a strong ETag. Faults on the 'download' route shape the answer (see faults.ts).
 */
export function downloadsRouter(): Router {
  const router = Router();
  router.get('/:kind/:jobId/:file', async (req, res, next) => {
    res.locals.route = 'download';
    const state = stateOf(res);
    try {
      const faults = state.faults.take('download');
      if (
        await applyRequestFaults(faults, req, res, { nowMs: state.clock.now(), limit: state.limiter.limits.download })
      )
        return;
      const id = /^\d{1,15}$/.test(req.params.jobId) ? Number(req.params.jobId) : -1;
      const job = state.jobs.get(id);
      const kind = job?.kind === 'export' ? 'exports' : 'apps';
      if (
        !job?.build ||
        req.params.kind !== kind ||
        job.resultUrl === undefined ||
        !new URL(job.resultUrl).pathname.endsWith(`/${req.params.file}`)
      ) {
        throw notFound('Download');
      }
      if (job.status !== 'complete') throw new HttpError(404, 'Download not ready: the job has not completed');
      const shape = bodyFaults(faults);
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Disposition', `attachment; filename="${req.params.file}"`);
      if (shape.endless) {
        res.status(200);
        await pipeline(endlessBody(), res);
        return;
      }
      if (shape.gzipBomb !== undefined) {
        const chunks: Buffer[] = [];
        for await (const chunk of gzipBomb(shape.gzipBomb)) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        res.status(200).setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Length', String(body.length));
        res.end(body);
        return;
      }
      const spec: BuildSpec = shape.hostile ? { ...job.build, hostile: shape.hostile } : job.build;
      const archive = await state.archives.get(spec);
      if (shape.noRanges !== 'all') res.setHeader('Accept-Ranges', 'bytes');
      res.setHeader('ETag', archive.etag);
      const range =
        shape.noRanges === 'all'
          ? undefined
          : requestedRange(req, archive.size, archive.etag, shape.noRanges !== 'suffix');
      if (range === 'unsatisfiable') {
        res.setHeader('Content-Range', `bytes */${archive.size}`);
        throw new HttpError(416, `Range not satisfiable: the archive has ${archive.size} bytes`);
      }
      const start = range?.start ?? 0;
      const end = range?.end ?? archive.size - 1;
      res.status(range ? 206 : 200);
      if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${archive.size}`);
      res.setHeader('Content-Length', String(end - start + 1));
      const length = end - start + 1;
      const sent = shape.truncate
        ? Math.min(shape.truncate.bytes ?? Math.floor(length / 2), Math.max(0, length - 1))
        : length;
      const stages: NodeJS.ReadWriteStream[] = [];
      if (shape.corrupt) stages.push(smashEndOfCentralDirectory(archive.size, start));
      const patches = new Map<number, number>();
      for (const [name, change] of [
        [shape.corruptEntry, 'corrupt-entry'],
        [shape.sizeLie?.entry, 'size-lie'],
      ] as const) {
        if (name === undefined) continue;
        const layout = await entryLayout(archive.file, name);
        if (!layout) throw new HttpError(400, `${change} fault: the archive has no entry ${JSON.stringify(name)}`);
        if (change === 'corrupt-entry') {
          const middle = Math.floor((layout.data.start + layout.data.end) / 2);
          patches.set(middle, (await byteAt(archive.file, middle)) ^ 0xff);
        } else {
          const size = Buffer.alloc(4);
          size.writeUInt32LE(shape.sizeLie?.size ?? 0);
          for (const field of layout.sizeFields) for (let i = 0; i < 4; i++) patches.set(field + i, size[i] as number);
        }
      }
      if (patches.size > 0) stages.push(patchBytes(patches, start));
      if (shape.bytesPerSecond !== undefined) stages.push(throttle(shape.bytesPerSecond));
      const source = sent > 0 ? createReadStream(archive.file, { start, end: start + sent - 1 }) : Readable.from([]);
      if (!shape.truncate) {
        await pipeline([source, ...stages, res]);
        return;
      }
      // The headers promise the whole range; the connection drops after `sent` bytes.
      res.flushHeaders();
      const writer = new Writable({
        write: (chunk: Buffer, _encoding, callback) => void res.write(chunk, () => callback()),
      });
      await pipeline([source, ...stages, writer]);
      setTimeout(() => req.socket.destroy(), 10);
    } catch (error) {
      if (res.headersSent) {
        req.socket.destroy();
        return;
      }
      next(error);
    }
  });
  router.all('/*rest', (req, res) => {
    res.locals.route = 'download';
    const reading = req.method === 'GET' || req.method === 'HEAD';
    res.status(reading ? 404 : 405).json({
      error: reading ? 'Download not found' : `Method ${req.method} not allowed: archives are fetched with GET`,
    });
  });
  return router;
}
