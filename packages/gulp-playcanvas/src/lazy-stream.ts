import { Readable } from 'node:stream';

/**
 * A stream that opens its source only when first read (as vinyl-fs does for gulp.src), so a build with
 * thousands of entries holds no open entry stream until gulp.dest gets to it. `settled` runs once, when the
 * stream ends, fails or is destroyed; the end is signalled only after it has finished.
 */
export class LazyStream extends Readable {
  private source: Readable | undefined;
  private opening = false;
  private done = false;

  constructor(
    private open: () => Promise<Readable>,
    private settled: () => Promise<void>,
  ) {
    super();
  }

  override _read(): void {
    if (this.source) {
      this.source.resume();
      return;
    }
    if (this.opening) return;
    this.opening = true;
    this.open().then(
      (source) => {
        this.source = source;
        source.on('data', (chunk: Buffer) => {
          if (!this.push(chunk)) source.pause();
        });
        source.once('end', () => {
          this.finish().then(
            () => this.push(null),
            (error: Error) => this.destroy(error),
          );
        });
        source.once('error', (error) => this.destroy(error));
      },
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.source?.destroy();
    this.finish().then(
      () => callback(error),
      () => callback(error),
    );
  }

  private async finish(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.settled();
  }
}
