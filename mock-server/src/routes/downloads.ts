import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Request, Router } from 'express';
import { applyFaults } from '../api-route.js';
import type { BuildSpec } from '../builds/spec.js';
import type { Fault, HostileEntry } from '../faults.js';
import { HttpError, notFound } from '../http-error.js';
import type { MockState } from '../state.js';

const EOCD_LENGTH = 22;

/** The byte range asked for (`bytes=N-` or `bytes=N-M`, one range), honoured only while If-Range still matches. */
function requestedRange(req: Request, size: number, etag: string): { start: number; end: number } | 'unsatisfiable' | undefined {
  const header = req.headers.range;
  if (!header) return undefined;
  const ifRange = req.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag) return undefined;
  const match = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** Overwrites the end-of-central-directory signature as the bytes go by: the zip can no longer be opened. */
function smashEndOfCentralDirectory(size: number, from = 0): Transform {
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

/**
 * The archive host: serves finished jobs' zips without authentication, as the real CDN URL does.
 * Faults on the 'download' route shape the response: status, latency, reset, truncation, corruption, hostile entries.
 */
export function downloadsRouter(state: MockState): Router {
  const router = Router();
  router.get('/:kind/:jobId/:file', async (req, res, next) => {
    res.locals.route = 'download';
    try {
      const faults = state.faults.take('download');
      if (await applyFaults(faults, req, res, state)) return;
      const id = /^\d{1,15}$/.test(req.params.jobId) ? Number(req.params.jobId) : -1;
      const job = state.jobs.get(id);
      const kind = job?.kind === 'export' ? 'exports' : 'apps';
      if (!job || req.params.kind !== kind || job.resultUrl === undefined || !job.resultUrl.endsWith(`/${req.params.file}`)) {
        throw notFound('Download');
      }
      if (job.status !== 'complete') throw new HttpError(404, 'Download not ready: the job has not completed');
      const hostile = faults.find((f): f is Extract<Fault, { type: 'hostile-entry' }> => f.type === 'hostile-entry')?.entry;
      const spec: BuildSpec = hostile ? { ...job.build, hostile: hostile as HostileEntry } : job.build;
      const archive = await state.archives.get(spec);
      res.setHeader('Accept-Ranges', 'bytes');
      res.setHeader('ETag', archive.etag);
      const range = requestedRange(req, archive.size, archive.etag);
      if (range === 'unsatisfiable') {
        res.setHeader('Content-Range', `bytes */${archive.size}`);
        throw new HttpError(416, `Range not satisfiable: the archive has ${archive.size} bytes`);
      }
      const start = range?.start ?? 0;
      const end = range?.end ?? archive.size - 1;
      res.status(range ? 206 : 200);
      if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${archive.size}`);
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Length', String(end - start + 1));
      res.setHeader('Content-Disposition', `attachment; filename="${req.params.file}"`);
      const truncate = faults.find((f): f is Extract<Fault, { type: 'truncate' }> => f.type === 'truncate');
      if (truncate) {
        const length = end - start + 1;
        const bytes = Math.min(truncate.bytes ?? Math.floor(length / 2), Math.max(0, length - 1));
        res.flushHeaders();
        const stream = createReadStream(archive.file, { start, end: start + bytes - 1 });
        if (bytes > 0) for await (const chunk of stream) await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
        setTimeout(() => req.socket.destroy(), 10);
        return;
      }
      const source = createReadStream(archive.file, { start, end });
      const corrupt = faults.some((f) => f.type === 'corrupt-zip');
      await (corrupt ? pipeline(source, smashEndOfCentralDirectory(archive.size, start), res) : pipeline(source, res));
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
    res
      .status(reading ? 404 : 405)
      .json({ error: reading ? 'Download not found' : `Method ${req.method} not allowed: archives are fetched with GET` });
  });
  return router;
}
