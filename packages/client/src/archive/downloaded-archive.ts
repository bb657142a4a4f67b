import { createReadStream } from 'node:fs';
import { pipeline, type Readable, Transform } from 'node:stream';
import { ArchiveError } from '../common/index.js';
import type { ArchiveOptions } from '../options/index.js';
import { Archive } from './archive.js';
import type { ArrivingFile } from './arriving-file.js';
import { heldUntilRead } from './held-stream.js';
import { Lifetime } from './lifetime.js';

/**
 * A download still arriving: its spool file, the transfer's end (all bytes on disk, or its error), a way to stop it.
 */
export interface Arrival {
  file: ArrivingFile;
  done: Promise<void>;
  /** Stops the transfer if it still runs; resolves once it has let go of the file. */
  stop(): Promise<void>;
}

/**
 * The one owner of a downloaded archive: its temp file, the zip opened from it and the streams read from
 * either. close() lets the reads in flight finish (the last one ends after the temp folder is gone),
 * dispose() ends them; both are safe to call twice, and the folder also goes if the process exits or is
 * stopped by a signal first. A download read while it arrives (`arrival`) is opened at once: its entries'
 * reads wait for their bytes, and complete() says when the file is whole.
 */
export class DownloadedArchive implements AsyncDisposable {
  private opened: Promise<Archive> | undefined;
  private readonly lifetime = new Lifetime();
  private readonly raw = new Set<Readable>();
  private readonly whole: Promise<void>;

  constructor(
    /** The archive on disk, in a private temp folder: whole once complete() resolves. */
    readonly path: string,
    readonly size: number,
    removeTemp: () => Promise<void>,
    private readonly arrival?: Arrival,
  ) {
    this.lifetime.onRelease(removeTemp);
    this.whole = arrival ? arrival.done : Promise.resolve();
    // a failed transfer reaches the readers waiting for its bytes, and complete(); it must not go unhandled meanwhile
    this.whole.catch(() => undefined);
    if (arrival) this.lifetime.onRelease(() => arrival.stop());
  }

  /** Resolves once every byte of the archive is on disk; rejects with the download's error. */
  complete(): Promise<void> {
    return this.whole;
  }

  /** The zip, opened and judged once (the options of the first call apply). */
  open(options: ArchiveOptions = {}): Promise<Archive> {
    const { arrival } = this;
    this.opened ??= arrival
      ? arrival.file.source().then((source) => Archive.fromSource(this.path, source, options, this.lifetime))
      : Archive.open(this.path, options, this.lifetime);
    return this.opened;
  }

  /** The zip's own bytes, as a stream (for an archive passed on whole), once they are all on disk. */
  stream(): Readable {
    const leave = this.lifetime.enter(() => new ArchiveError(`The archive ${this.path} was read after it was closed`));
    const out = heldUntilRead(
      new Transform({
        transform: (chunk, _encoding, callback) => callback(null, chunk),
        flush: (callback) => {
          leave().then(() => callback(), callback);
        },
      }),
    );
    // pipeline, not pipe(): a reader that lets go (or dispose()) closes the file too, and its error reaches out
    this.whole.then(
      () =>
        pipeline(createReadStream(this.path), out, (error) => {
          if (error && !out.destroyed) out.destroy(error);
        }),
      (error: Error) => out.destroy(error),
    );
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

  /** Ends the reads in flight (and a download still arriving) and removes the temp folder now. */
  async dispose(): Promise<void> {
    const closed = () => new ArchiveError(`The archive ${this.path} was closed before it was read to the end`);
    for (const stream of this.raw) stream.destroy(closed());
    // reads waiting for bytes still to come fail now, and the transfer stops
    if (this.arrival) {
      this.arrival.file.fail(closed());
      void this.arrival.stop();
    }
    const archive = await this.opened?.catch(() => undefined);
    await (archive ? archive.dispose() : this.close());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
