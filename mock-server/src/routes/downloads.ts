import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { applyFaults } from '../api-route.js';
import type { BuildSpec } from '../builds/spec.js';
import type { Fault, HostileEntry } from '../faults.js';
import { HttpError, notFound } from '../http-error.js';
import type { MockState } from '../state.js';

const EOCD_LENGTH = 22;

/** Overwrites the end-of-central-directory signature as the bytes go by: the zip can no longer be opened. */
function smashEndOfCentralDirectory(size: number): Transform {
  let offset = 0;
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
      res.status(200);
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Length', String(archive.size));
      res.setHeader('Content-Disposition', `attachment; filename="${req.params.file}"`);
      const truncate = faults.find((f): f is Extract<Fault, { type: 'truncate' }> => f.type === 'truncate');
      if (truncate) {
        const bytes = Math.min(truncate.bytes ?? Math.floor(archive.size / 2), Math.max(0, archive.size - 1));
        res.flushHeaders();
        const stream = createReadStream(archive.file, { start: 0, end: bytes - 1 });
        if (bytes > 0) for await (const chunk of stream) await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
        setTimeout(() => req.socket.destroy(), 10);
        return;
      }
      const source = createReadStream(archive.file);
      const corrupt = faults.some((f) => f.type === 'corrupt-zip');
      await (corrupt ? pipeline(source, smashEndOfCentralDirectory(archive.size), res) : pipeline(source, res));
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
    res.status(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).json({
      error: req.method === 'GET' || req.method === 'HEAD' ? 'Download not found' : `Method ${req.method} not allowed: archives are fetched with GET`,
    });
  });
  return router;
}
