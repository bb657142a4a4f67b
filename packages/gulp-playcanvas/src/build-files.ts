import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import log from 'gulplog';
import { type BuildResult, openArchive, type ProgressEvent } from 'playcanvas-rest-client';
import type Vinyl from 'vinyl';
import { LazyStream } from './lazy-stream.js';
import type { ResolvedOptions } from './options.js';
import { formatBytes, progressLogger } from './progress-log.js';
import { readAhead } from './read-ahead.js';
import { makeVinyl } from './vinyl-file.js';

export const PLUGIN_NAME = 'gulp-playcanvas';

/** Entries inflated ahead of gulp.dest: enough to keep the thread pool busy, bounded in memory. */
const READ_AHEAD = { items: 8, weight: 8 * 1024 * 1024 };
/** Up to this size a streamed entry is inflated at once and handed out as a one-chunk stream. */
const SMALL_ENTRY = 1024 * 1024;

/** Counts the users of the downloaded archive; the last one to finish removes it. */
function sharedCleanup(cleanup: () => Promise<void>): { hold: () => void; release: () => Promise<void> } {
  let holders = 1;
  return {
    hold: () => {
      holders += 1;
    },
    release: async () => {
      holders -= 1;
      if (holders === 0) await cleanup();
    },
  };
}

/**
 * The build as vinyl files: start it, wait, download, then one file per archive entry (or the archive).
 * `onJob` learns the job id as soon as there is one, for error messages.
 */
export async function* buildFiles(options: ResolvedOptions, signal: AbortSignal, onJob: (id: number) => void): AsyncGenerator<Vinyl> {
  const logProgress = progressLogger(PLUGIN_NAME);
  const onProgress = (event: ProgressEvent) => {
    if (event.type === 'job-started') onJob(event.jobId);
    logProgress(event);
  };
  const run = { timeout: options.timeout, signal, onProgress };
  const result: BuildResult =
    options.job.kind === 'build' ? await options.client.build(options.job.options, run) : await options.client.export(options.job.options, run);
  const { archive, job } = result;
  let zip: { close(): void } | undefined;
  const archiveUse = sharedCleanup(async () => {
    zip?.close();
    await archive.dispose();
  });
  try {
    if (!options.extract) {
      const name = basename(archive.path);
      const mtime = new Date(Date.parse(job.modified_at ?? '') || Date.now());
      if (options.buffer) {
        yield makeVinyl(name, await readFile(archive.path), 0o100644, mtime, archive.size);
      } else {
        archiveUse.hold();
        yield makeVinyl(name, new LazyStream(async () => createReadStream(archive.path), archiveUse.release), 0o100644, mtime, archive.size);
      }
      log.info(`${PLUGIN_NAME}: emitted the archive ${name} (${formatBytes(archive.size)}) of job ${job.id}`);
      return;
    }
    const entries = await openArchive(archive.path, {
      ...options.archive,
      autoClose: options.buffer,
      onSkip: (name, reason) => log.warn(`${PLUGIN_NAME}: skipped ${reason} ${JSON.stringify(name)} in the archive of job ${job.id}`),
    });
    zip = entries;
    let files = 0;
    let bytes = 0;
    const files$ = options.buffer
      ? readAhead(
          entries,
          async (entry) => makeVinyl(entry.name, await entry.read(), entry.mode, entry.mtime, entry.size),
          (entry) => entry.size,
          READ_AHEAD,
        )
      : readAhead(
          entries,
          async (entry) => {
            archiveUse.hold();
            // Small entries are inflated in one go (fast); large ones stream, so memory stays bounded.
            const opened = entry.size <= SMALL_ENTRY ? entry.read().then((data) => Readable.from([data])) : entry.openStream();
            // A failure to open surfaces (and releases the hold) when gulp.dest reads the file.
            opened.catch(() => undefined);
            return makeVinyl(entry.name, new LazyStream(() => opened, archiveUse.release), entry.mode, entry.mtime, entry.size);
          },
          // a large entry holds only its stream's buffer until gulp.dest reads it
          (entry) => Math.min(entry.size, SMALL_ENTRY),
          READ_AHEAD,
        );
    for await (const file of files$) {
      files += 1;
      bytes += file.stat?.size ?? 0;
      yield file;
    }
    log.info(`${PLUGIN_NAME}: emitted ${files} files (${formatBytes(bytes)}) from job ${job.id}`);
  } finally {
    await archiveUse.release();
  }
}
