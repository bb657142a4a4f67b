import type { Readable } from 'node:stream';

const held = () => undefined;

/**
 * A stream handed out before anyone reads it (an entry opened ahead, the archive's own bytes): until its
 * reader starts, a failure (a bad entry, the archive disposed) has no one listening, and an 'error' event
 * with no listener ends the process. Until then the error is held on the stream (`errored`), where
 * finished(), pipeline() and for await report it to the reader that comes; once read, the stream's errors
 * reach its reader as any stream's do.
 */
export function heldUntilRead<T extends Readable>(stream: T): T {
  stream.on('error', held);
  const onListener = (event: string | symbol) => {
    if (event !== 'data' && event !== 'readable') return;
    stream.off('newListener', onListener);
    stream.off('error', held);
  };
  stream.on('newListener', onListener);
  return stream;
}
