import { finished, Readable } from 'node:stream';
import { toPluginError } from './plugin-error.js';

/**
 * Contents handed out and dropped unread (gulp.dest failed on another file after taking them all, say): the
 * entry stream opened ahead for them holds the archive, its temp file included, until it is let go here.
 */
const droppedUnread = new FinalizationRegistry<Promise<Readable>>((opened) => {
  opened.then(
    (source) => source.destroy(),
    () => undefined,
  );
});

/**
 * A vinyl file's streamed contents: the entry stream is started ahead (`opened`), its bytes flow only when
 * gulp.dest reads them, and any failure (a CRC or size mismatch, a closed archive) reaches the reader as a
 * PluginError. `onFailure` is told, so a partly written output file can be removed.
 */
export class Contents extends Readable {
  private source: Readable | undefined;
  private opening = false;

  constructor(
    private readonly opened: Promise<Readable>,
    private readonly onFailure: (error: Error) => void = () => undefined,
  ) {
    super();
    // A failure to open surfaces when the contents are read; until then it must not go unhandled.
    opened.catch(() => undefined);
    // Consumers that listen (gulp.dest does) get every error; one that let go of the file must not crash the process.
    this.on('error', () => undefined);
    droppedUnread.register(this, opened, this);
  }

  override _read(): void {
    if (this.source) {
      this.source.resume();
      return;
    }
    if (this.opening) return;
    this.opening = true;
    droppedUnread.unregister(this);
    this.opened.then(
      (source) => {
        if (this.destroyed) {
          source.destroy();
          return;
        }
        this.source = source;
        source.on('data', (chunk: Buffer) => {
          if (!this.push(chunk)) source.pause();
        });
        // The source was opened ahead: it may have failed (or been closed) before this attached. finished()
        // reports that too, where listening for 'error' and 'end' now would wait forever.
        finished(source, (error) => (error ? this.destroy(error) : this.push(null)));
      },
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    droppedUnread.unregister(this);
    if (this.source) this.source.destroy();
    else
      this.opened.then(
        (source) => source.destroy(),
        () => undefined,
      );
    if (error) {
      const failure = toPluginError(error);
      this.onFailure(failure);
      callback(failure);
      return;
    }
    callback(null);
  }
}
