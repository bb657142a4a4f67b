/** The zip's records, byte by byte (APPNOTE 6.3): local headers, data descriptors, the directory and its end. */

const VERSION_NEEDED = 20;
const VERSION_NEEDED_ZIP64 = 45;
/** Unix, spec 6.3 */
const VERSION_MADE_BY = (3 << 8) | 63;
const UTF8_NAME = 1 << 11;
const DATA_DESCRIPTOR_FOLLOWS = 1 << 3;
const DEFLATE = 8;

/** One entry once compressed: what its headers need. */
export interface Written {
  name: Buffer;
  mode: number;
  /** Content given whole: its CRC and sizes go in the local header, no data descriptor (as yazl does for buffers). */
  known: boolean;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

const zip64 = (r: Written) => r.size > 0xfffffffe || r.compressed > 0xfffffffe || r.offset > 0xfffffffe;

function writeUInt64(buffer: Buffer, n: number, at: number): void {
  buffer.writeUInt32LE(n % 0x100000000, at);
  buffer.writeUInt32LE(Math.floor(n / 0x100000000), at + 4);
}

export function localHeader(
  name: Buffer,
  known: { crc: number; compressed: number; size: number } | undefined,
  time: { date: number; time: number },
): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(known ? UTF8_NAME : UTF8_NAME | DATA_DESCRIPTOR_FOLLOWS, 6);
  header.writeUInt16LE(DEFLATE, 8);
  header.writeUInt16LE(time.time, 10);
  header.writeUInt16LE(time.date, 12);
  header.writeUInt32LE(known ? known.crc : 0, 14);
  header.writeUInt32LE(known ? known.compressed : 0, 18);
  header.writeUInt32LE(known ? known.size : 0, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, name]);
}

export function dataDescriptor(r: Written): Buffer {
  const large = zip64(r);
  const descriptor = Buffer.alloc(large ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(r.crc, 4);
  if (large) {
    writeUInt64(descriptor, r.compressed, 8);
    writeUInt64(descriptor, r.size, 16);
  } else {
    descriptor.writeUInt32LE(r.compressed, 8);
    descriptor.writeUInt32LE(r.size, 12);
  }
  return descriptor;
}

export function directoryRecord(r: Written, time: { date: number; time: number }, mtime: Date): Buffer {
  const large = zip64(r);
  const timestamp = Buffer.alloc(9);
  timestamp.writeUInt16LE(0x5455, 0);
  timestamp.writeUInt16LE(5, 2);
  // mtime and atime flags, as Info-ZIP sets them (the central directory carries the mtime only)
  timestamp.writeUInt8(0b11, 4);
  timestamp.writeInt32LE(Math.max(-0x80000000, Math.min(0x7fffffff, Math.floor(mtime.getTime() / 1000))), 5);
  let extra = Buffer.alloc(0);
  if (large) {
    extra = Buffer.alloc(28);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(24, 2);
    writeUInt64(extra, r.size, 4);
    writeUInt64(extra, r.compressed, 12);
    writeUInt64(extra, r.offset, 20);
  }
  const fixed = Buffer.alloc(46);
  fixed.writeUInt32LE(0x02014b50, 0);
  fixed.writeUInt16LE(VERSION_MADE_BY, 4);
  fixed.writeUInt16LE(large ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
  fixed.writeUInt16LE(r.known ? UTF8_NAME : UTF8_NAME | DATA_DESCRIPTOR_FOLLOWS, 8);
  fixed.writeUInt16LE(DEFLATE, 10);
  fixed.writeUInt16LE(time.time, 12);
  fixed.writeUInt16LE(time.date, 14);
  fixed.writeUInt32LE(r.crc, 16);
  fixed.writeUInt32LE(large ? 0xffffffff : r.compressed, 20);
  fixed.writeUInt32LE(large ? 0xffffffff : r.size, 24);
  fixed.writeUInt16LE(r.name.length, 28);
  fixed.writeUInt16LE(timestamp.length + extra.length, 30);
  fixed.writeUInt16LE(0, 32);
  fixed.writeUInt16LE(0, 34);
  fixed.writeUInt16LE(0, 36);
  fixed.writeUInt32LE((r.mode << 16) >>> 0, 38);
  fixed.writeUInt32LE(large ? 0xffffffff : r.offset, 42);
  return Buffer.concat([fixed, r.name, timestamp, extra]);
}

export function endRecords(count: number, directorySize: number, directoryStart: number, cursor: number): Buffer {
  const large = count >= 0xffff || directorySize >= 0xffffffff || directoryStart >= 0xffffffff;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(Math.min(directorySize, 0xffffffff), 12);
  end.writeUInt32LE(Math.min(directoryStart, 0xffffffff), 16);
  if (!large) return end;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  writeUInt64(record, 44, 4);
  record.writeUInt16LE(VERSION_MADE_BY, 12);
  record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
  writeUInt64(record, count, 24);
  writeUInt64(record, count, 32);
  writeUInt64(record, directorySize, 40);
  writeUInt64(record, directoryStart, 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  writeUInt64(locator, cursor, 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}

/** DOS date and time in the machine's time zone, clamped to what DOS can say, as yazl computes them. */
export function dosDateTime(when: Date): { date: number; time: number } {
  const min = new Date(1980, 0, 1);
  const max = new Date(2107, 11, 31, 23, 59, 58);
  const d = when < min ? min : when > max ? max : when;
  return {
    date: (d.getDate() & 0x1f) | (((d.getMonth() + 1) & 0xf) << 5) | (((d.getFullYear() - 1980) & 0x7f) << 9),
    time: Math.floor(d.getSeconds() / 2) | ((d.getMinutes() & 0x3f) << 5) | ((d.getHours() & 0x1f) << 11),
  };
}
