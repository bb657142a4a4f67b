import { promisify } from 'node:util';
import zlib from 'node:zlib';

const inflateRaw = promisify(zlib.inflateRaw);

/** Up to this size an entry inflates on the main thread: a trip to the thread pool costs more than the work. */
export const SYNC_INFLATE_BYTES = 32 * 1024;
/** The largest output chunk: an entry that declares more than it holds gets no allocation past this up front. */
const MAX_CHUNK = 8 * 1024 * 1024;

/**
 * A raw deflate stream inflated into one buffer, in one piece when it is no larger than it declares (one
 * output chunk, so no copy and one trip to the thread pool, not one per 16 KiB). More than `declared` bytes
 * fail with ERR_BUFFER_TOO_LARGE as soon as they are made.
 */
export function inflateEntry(raw: Buffer, declared: number): Promise<Buffer> {
  const options = {
    chunkSize: Math.max(64, Math.min(declared + 1, MAX_CHUNK)),
    maxOutputLength: Math.max(1, declared + 1),
  };
  if (declared <= SYNC_INFLATE_BYTES) {
    try {
      return Promise.resolve(zlib.inflateRawSync(raw, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return inflateRaw(raw, options);
}
