export interface ReadAheadLimits {
  /** Most items started ahead of the one being consumed. */
  items: number;
  /** Most weight (bytes) started ahead; one item is always allowed, whatever its weight. */
  weight: number;
}

/**
 * Maps an async iterable through `start`, starting the next items while the consumer is still busy with the
 * current one, in order, within the limits. Used to inflate the next archive entries while gulp.dest writes:
 * reading, inflating and writing are each waits on the thread pool, and done one after another they leave
 * the process idle most of the time.
 */
export async function* readAhead<T, R>(
  source: AsyncIterable<T>,
  start: (item: T) => Promise<R>,
  weight: (item: T) => number,
  limits: ReadAheadLimits,
): AsyncGenerator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Array<{ result: Promise<R>; weight: number }> = [];
  let queued = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && queue.length < limits.items && (queue.length === 0 || queued < limits.weight)) {
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const result = start(next.value);
        // Failures surface when the item's turn comes, in order; until then they must not go unhandled.
        result.catch(() => undefined);
        const w = weight(next.value);
        queue.push({ result, weight: w });
        queued += w;
      }
      const head = queue.shift();
      if (!head) return;
      queued -= head.weight;
      yield await head.result;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}
