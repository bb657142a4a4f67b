import { copyFile, utimes } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Archive, type DownloadedArchive, extractArchive, type Job } from 'playcanvas-rest-client';
import { formatBytes, type ProgressLog } from 'playcanvas-rest-client/adapter';

/** Every entry of the archive as a file under `dir`, with its mode and mtime (the client's direct writer). */
export async function writeFiles(zip: Archive, dir: string, job: Job, progress: ProgressLog): Promise<void> {
  let bytes = 0;
  const { files } = await extractArchive(zip, dir, {
    onFile: (entry, written) => {
      bytes += entry.size;
      progress.extracted(written, bytes, zip.fileCount, zip.totalBytes);
    },
    onSkip: (name, reason) => progress.warn(`skipped ${reason} ${JSON.stringify(name)} in the archive of job ${job.id}`),
  });
  progress.done(`wrote ${files} files (${formatBytes(bytes)}) from job ${job.id}`);
}

/** The zip itself into `dir`, once every entry was inflated and its CRC compared. */
export async function writeZip(archive: DownloadedArchive, zip: Archive, dir: string, job: Job, progress: ProgressLog): Promise<void> {
  await zip.verify();
  const name = basename(archive.path);
  const target = join(dir, name);
  await copyFile(archive.path, target);
  const mtime = new Date(Date.parse(job.modifiedAt ?? '') || Date.now());
  await utimes(target, mtime, mtime);
  progress.done(`wrote the archive ${name} (${formatBytes(archive.size)}) of job ${job.id}, every entry checked`);
}
