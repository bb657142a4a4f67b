import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { formatBytes, ProgressLog, runPipeline } from '@gulp-playcanvas/playcanvas-pipeline';
import {
  type Archive,
  type ArchiveEntry,
  ArchiveError,
  createClient,
  type DownloadedArchive,
  type Job,
  type ProgressEvent,
} from '@gulp-playcanvas/playcanvas-rest-client';
import type Vinyl from 'vinyl';
import { Contents } from './contents.js';
import { log } from './log.js';
import { wholeArchives } from './needs-files.js';
import type { ResolvedOptions } from './options.js';
import type { OutputGuard } from './output-guard.js';
import { PLUGIN_NAME } from './plugin-error.js';
import { readAhead } from './read-ahead.js';
import { makeVinyl } from './vinyl-file.js';

/** Entries inflated ahead of gulp.dest: enough to keep the thread pool busy, bounded in memory. */
const READ_AHEAD = { items: 8, weight: 8 * 1024 * 1024 };
/** Up to this size a streamed entry is inflated at once and handed out as a one-chunk stream. */
const SMALL_ENTRY = 1024 * 1024;

function tooLargeToBuffer(what: string, size: number, max: number): ArchiveError {
  return new ArchiveError(
    `${what} is ${formatBytes(size)}, over maxBufferBytes (${formatBytes(max)}) for buffered contents: use buffer: ` +
      'false to stream it (memory then stays flat), or raise maxBufferBytes',
  );
}

/**
 * The build as vinyl files: start it, wait, download, then one file per archive entry (or the archive).
 * The downloaded archive owns its temp file; this only says when it is done with it: close() after the last
 * file was handed out (streams still being read keep it until they end), dispose() on failure or abort.
 */
export async function* buildFiles(
  options: ResolvedOptions,
  signal: AbortSignal,
  guard: OutputGuard,
  onJob: (id: number) => void,
): AsyncGenerator<Vinyl> {
  const progress = new ProgressLog((level, line) => log[level](`${PLUGIN_NAME}: ${line}`));
  const onProgress = (event: ProgressEvent) => {
    if (event.type === 'job-started') onJob(event.jobId);
    progress.event(event);
  };
  const client = createClient(options.client);
  const { job, archive, metadata, warnings } = await runPipeline(client, options.pipeline, options.job, {
    signal,
    onProgress,
  }).catch((error: unknown) => {
    progress.stop();
    throw error;
  });
  for (const warning of warnings) progress.warn(warning);
  // gulp's way to pass state along: on the file (what was built, from which job, checkpoint and engine)
  const tag = (file: Vinyl): Vinyl => Object.assign(file, { playcanvas: metadata });
  const onAbort = () => void archive.dispose();
  signal.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    const zip = await archive.open(options.archive);
    // A file whose contents fail (when gulp.dest reads them, maybe after the last file was handed out) fails
    // the build: what was written of it goes, and so do the archive and the entry streams no one will read now.
    const failed = (file: Vinyl) => {
      guard.removeFailed(file);
      void archive.dispose();
    };
    if (options.plugin.extract)
      for await (const file of entryFiles(options, zip, job, failed, progress, guard)) yield tag(file);
    else for await (const file of wholeArchive(options, archive, zip, job, progress)) yield tag(file);
    // read while it arrived: the last bytes (the directory's) are checked in too, or the download's failure told
    await archive.complete();
    finished = true;
  } finally {
    progress.stop();
    signal.removeEventListener('abort', onAbort);
    if (finished) void archive.close();
    else await archive.dispose();
  }
}

function whole(file: Vinyl): Vinyl {
  wholeArchives.add(file);
  return file;
}

async function* wholeArchive(
  options: ResolvedOptions,
  archive: DownloadedArchive,
  zip: Archive,
  job: Job,
  progress: ProgressLog,
): AsyncGenerator<Vinyl> {
  // Passed on whole, the zip is still checked: every entry inflated and its CRC compared, nothing kept.
  await zip.verify();
  await archive.complete();
  const name = basename(archive.path);
  const mtime = new Date(Date.parse(job.modifiedAt ?? '') || Date.now());
  if (options.plugin.buffer) {
    if (archive.size > options.plugin.maxBufferBytes)
      throw tooLargeToBuffer(`The archive ${name}`, archive.size, options.plugin.maxBufferBytes);
    yield whole(makeVinyl(name, await readFile(archive.path), 0o100644, mtime, archive.size));
  } else {
    yield whole(makeVinyl(name, new Contents(Promise.resolve(archive.stream())), 0o100644, mtime, archive.size));
  }
  progress.done(`emitted the archive ${name} (${formatBytes(archive.size)}) of job ${job.id}, every entry checked`);
}

async function* entryFiles(
  options: ResolvedOptions,
  zip: Archive,
  job: Job,
  failed: (file: Vinyl) => void,
  progress: ProgressLog,
  guard: OutputGuard,
): AsyncGenerator<Vinyl> {
  const { buffer, maxBufferBytes } = options.plugin;
  if (buffer) {
    // Refused before a single file is written: a huge entry would not fit a buffer (or gulp.dest's write).
    for await (const entry of zip.entries())
      if (entry.size > maxBufferBytes)
        throw tooLargeToBuffer(`Entry ${JSON.stringify(entry.name)}`, entry.size, maxBufferBytes);
  }
  const onSkip = (name: string, reason: string) =>
    log.warn(`${PLUGIN_NAME}: skipped ${reason} ${JSON.stringify(name)} in the archive of job ${job.id}`);
  const streamed = (entry: ArchiveEntry): Vinyl => {
    // Small entries are inflated in one go (fast); large ones stream, so memory stays bounded.
    const opened = entry.size <= SMALL_ENTRY ? entry.read().then((data) => Readable.from([data])) : entry.openStream();
    const file: Vinyl = makeVinyl(
      entry.name,
      new Contents(opened, () => failed(file)),
      entry.mode,
      entry.mtime,
      entry.size,
    );
    return file;
  };
  const files$ = buffer
    ? readAhead(
        zip.entries(onSkip),
        async (entry) => makeVinyl(entry.name, await entry.read(), entry.mode, entry.mtime, entry.size),
        (entry) => entry.size,
        READ_AHEAD,
      )
    : readAhead(
        zip.entries(onSkip),
        async (entry) => streamed(entry),
        (entry) => Math.min(entry.size, SMALL_ENTRY),
        READ_AHEAD,
      );
  let files = 0;
  let bytes = 0;
  for await (const file of files$) {
    files += 1;
    bytes += file.stat?.size ?? 0;
    guard.track(file);
    progress.extracted(files, bytes, zip.fileCount, zip.totalBytes);
    yield file;
  }
  progress.done(`emitted ${files} files (${formatBytes(bytes)}) from job ${job.id}`);
}
