import { open } from 'node:fs/promises';

export interface EntryLayout {
  /** Where the entry's compressed bytes start and end in the file. */
  data: { start: number; end: number };
  /** Offsets of the uncompressed-size field in the central directory record and in the local header. */
  sizeFields: [number, number];
}

/**
 * Where an entry lies in a zip the mock wrote (no ZIP64, no comment), read from the end of central directory
 * record and the entry's local header: for the faults that alter an entry's bytes or misstate its size.
 */
export async function entryLayout(file: string, name: string): Promise<EntryLayout | undefined> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const eocd = Buffer.alloc(22);
    await handle.read(eocd, 0, 22, size - 22);
    if (eocd.readUInt32LE(0) !== 0x06054b50) return undefined;
    const cdSize = eocd.readUInt32LE(12);
    const cdOffset = eocd.readUInt32LE(16);
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    for (let at = 0; at + 46 <= cd.length && cd.readUInt32LE(at) === 0x02014b50; ) {
      const compressed = cd.readUInt32LE(at + 20);
      const nameLength = cd.readUInt16LE(at + 28);
      const skip = nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
      const local = cd.readUInt32LE(at + 42);
      if (cd.toString('utf8', at + 46, at + 46 + nameLength) === name) {
        const header = Buffer.alloc(30);
        await handle.read(header, 0, 30, local);
        const start = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
        return { data: { start, end: start + compressed }, sizeFields: [cdOffset + at + 24, local + 22] };
      }
      at += 46 + skip;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Renames an entry in place, in its local header and its central directory record: the new name must have the same byte
 * length.
 */
export async function renameEntry(file: string, from: string, to: string): Promise<void> {
  const name = Buffer.from(to);
  if (name.length !== Buffer.byteLength(from))
    throw new Error(`renameEntry: ${JSON.stringify(to)} is not as long as ${JSON.stringify(from)}`);
  const layout = await entryLayout(file, from);
  if (!layout) throw new Error(`renameEntry: no entry ${JSON.stringify(from)}`);
  const handle = await open(file, 'r+');
  try {
    // the name follows the 46-byte central directory record and the 30-byte local header
    await handle.write(name, 0, name.length, layout.sizeFields[0] - 24 + 46);
    await handle.write(name, 0, name.length, layout.sizeFields[1] - 22 + 30);
  } finally {
    await handle.close();
  }
}
