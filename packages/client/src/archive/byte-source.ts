import { type FileHandle, open } from 'node:fs/promises';

/**
 * The bytes of an archive, read at their positions: a file on disk, or (see arriving-file.ts) one still being
 * downloaded, whose reads wait for their bytes. The archive reader knows nothing else of where bytes come from.
 */
export interface ByteSource {
  readonly size: number;
  /** Reads `length` bytes at `position` into `buffer`; resolves to the count read, fewer only where the source ends. */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

/** Reads until `length` bytes are in or the file ends (a read may return fewer bytes than asked for). */
export async function readFully(
  handle: FileHandle,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, offset + done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** A file on disk, from one handle (positional reads: any number of readers at once). */
export async function openFileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return { size, read: (...args) => readFully(handle, ...args), close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
