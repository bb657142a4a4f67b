/**
 * Who may still read a resource, and what to release once the last of them is done after close() was asked
 * for. The last reader's leave() resolves only after the release, so a stream can end after its file is gone.
 */
export class Lifetime {
  private readers = 0;
  private closing = false;
  private released: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly cleanups: Array<() => Promise<void> | void> = [];

  /** Runs at release, the last one registered first. */
  onRelease(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** A new reader, refused (with `refusal`) once closing. Returns its leave(), safe to call twice. */
  enter(refusal: () => Error): () => Promise<void> {
    if (this.closing) throw refusal();
    this.readers += 1;
    let left = false;
    return async () => {
      if (left) return;
      left = true;
      this.readers -= 1;
      if (this.readers === 0) this.wake?.();
      if (this.closing && this.readers === 0) await this.released;
    };
  }

  /** No new readers; releases once the current ones have left. Safe to call twice. */
  close(): Promise<void> {
    this.closing = true;
    this.released ??= new Promise<void>((resolve) => {
      this.wake = resolve;
      if (this.readers === 0) resolve();
    }).then(async () => {
      for (const cleanup of this.cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    });
    return this.released;
  }
}
