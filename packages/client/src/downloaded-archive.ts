import { createReadStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { Archive } from './archive.js';
import { ArchiveError } from './errors.js';
import { Lifetime } from './lifetime.js';
import type { ArchiveOptions } from './options.generated.js';

/**
 * The one owner of a downloaded archive: its temp file, the zip opened from it and the streams read from
 * either. close() lets the reads in flight finish (the last one ends after the temp folder is gone),
 * dispose() ends them; both are safe to call twice, and the folder also goes if the process exits or is
 * stopped by a signal first.
 */
export class DownloadedArchive implements AsyncDisposable {
  private opened: Promise<Archive> | undefined;
  private readonly lifetime = new Lifetime();
  private readonly raw = new Set<Readable>();

  constructor(
    /** The archive on disk, in a private temp folder. */
    readonly path: string,
    readonly size: number,
    removeTemp: () => Promise<void>,
  ) {
    this.lifetime.onRelease(removeTemp);
  }

  /** The zip, opened and judged once (the options of the first call apply). */
  open(options: ArchiveOptions = {}): Promise<Archive> {
    this.opened ??= Archive.open(this.path, options, this.lifetime);
    return this.opened;
  }

  /** The zip's own bytes, as a stream (for an archive passed on whole). */
  stream(): Readable {
    const leave = this.lifetime.enter(() => new ArchiveError(`The archive ${this.path} was read after it was closed`));
    const out = new Transform({
      transform: (chunk, _encoding, callback) => callback(null, chunk),
      flush: (callback) => {
        leave().then(() => callback(), callback);
      },
    });
    createReadStream(this.path)
      .once('error', (error) => out.destroy(error))
      .pipe(out);
    this.raw.add(out);
    out.once('close', () => {
      this.raw.delete(out);
      void leave();
    });
    return out;
  }

  /** Waits for the reads in flight, then closes the zip and removes the temp folder. */
  close(): Promise<void> {
    return this.lifetime.close();
  }

  /** Ends the reads in flight and removes the temp folder now. */
  async dispose(): Promise<void> {
    for (const stream of this.raw) stream.destroy(new ArchiveError(`The archive ${this.path} was closed before it was read to the end`));
    const archive = await this.opened?.catch(() => undefined);
    await (archive ? archive.dispose() : this.close());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
