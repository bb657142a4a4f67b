import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { type Archive, ArchiveError, createClient, openArchive } from '../src/index.js';

/** Offsets in a small zip (no ZIP64, no comment) of each entry's central directory record and local header. */
function layout(zip: Buffer): Array<{ name: string; cd: number; local: number }> {
  const eocd = zip.length - 22;
  let at = zip.readUInt32LE(eocd + 16);
  const out = [];
  while (zip.readUInt32LE(at) === 0x02014b50) {
    const nameLength = zip.readUInt16LE(at + 28);
    out.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), cd: at, local: zip.readUInt32LE(at + 42) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

async function zipOf(entries: Record<string, string | Buffer>, store = false): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries))
    zip.file(name, content, { date: new Date(Date.UTC(2026, 0, 1)) });
  return zip.generateAsync({ type: 'nodebuffer', platform: 'UNIX', compression: store ? 'STORE' : 'DEFLATE' });
}

async function onDisk(bytes: Buffer): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'hostile-')), 'a.zip');
  await writeFile(file, bytes);
  return file;
}

type Mode = 'read' | 'stream';
/** Where the archive is read from: a file on disk, a host serving ranges (read while it arrives), a host without. */
type Source = 'disk' | 'ranges' | 'whole';

/**
 * A host for the archive under test, at /a.zip: with ranges (a strong ETag, suffix ranges too) or without, its
 * bytes sent in small pieces a turn of the event loop apart, so that reads really wait for bytes to arrive.
 */
let served: Buffer = Buffer.alloc(0);
let ranges = true;
let host: Server;
let hostUrl = '';
beforeAll(async () => {
  host = createServer((req, res) => {
    let start = 0;
    let end = served.length;
    const asked = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    const sameFile = req.headers['if-range'] === undefined || req.headers['if-range'] === '"a"';
    if (ranges && asked && sameFile) {
      if (asked[1] === '') start = Math.max(0, served.length - Number(asked[2]));
      else
        [start, end] = [
          Number(asked[1]),
          asked[2] === '' ? served.length : Math.min(served.length, Number(asked[2]) + 1),
        ];
      res.writeHead(206, {
        'content-range': `bytes ${start}-${end - 1}/${served.length}`,
        etag: '"a"',
        'content-length': end - start,
      });
    } else {
      res.writeHead(200, {
        'content-length': served.length,
        ...(ranges ? { etag: '"a"', 'accept-ranges': 'bytes' } : {}),
      });
    }
    const body = served.subarray(start, end);
    const send = (at: number) => {
      if (at >= body.length) return res.end();
      res.write(body.subarray(at, at + 1024));
      setImmediate(send, at + 1024);
    };
    send(0);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/a.zip`;
});
afterAll(() => new Promise((resolve) => host.close(resolve)));

interface Opened {
  archive: Archive;
  /** After the last entry: the download whole (or its error), the archive closed. */
  done(): Promise<void>;
  /** On failure: everything let go at once. */
  dispose(): Promise<void>;
}

async function opened(bytes: Buffer, source: Source): Promise<Opened> {
  if (source === 'disk') {
    const archive = await openArchive(await onDisk(bytes));
    return { archive, done: () => archive.close(), dispose: () => archive.dispose() };
  }
  served = bytes;
  ranges = source === 'ranges';
  const downloaded = await createClient({ token: 'unused', retry: { retries: 0 } }).download(hostUrl, {
    readWhileDownloading: true,
  });
  try {
    // as the adapters do: opened at once, every entry judged before the first is read, each read waiting for its bytes
    return {
      archive: await downloaded.open(),
      done: async () => {
        await downloaded.complete();
        await downloaded.close();
      },
      dispose: () => downloaded.dispose(),
    };
  } catch (error) {
    await downloaded.dispose();
    throw error;
  }
}

/** Reads every entry one way; resolves to the ArchiveError it ends with (or to the names read). */
async function readEvery(bytes: Buffer, mode: Mode, source: Source = 'disk'): Promise<ArchiveError | string[]> {
  const names: string[] = [];
  try {
    const { archive, done, dispose } = await opened(bytes, source);
    try {
      for await (const entry of archive) {
        if (mode === 'read') await entry.read();
        else for await (const _ of await entry.openStream());
        names.push(entry.name);
      }
    } catch (error) {
      await dispose();
      throw error;
    }
    await done();
    return names;
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return error;
  }
}

const BOTH: Mode[] = ['read', 'stream'];
/** Bytes that do not compress, from a seed. */
function noise(size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = 2463534242;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}

// The last entry is larger than the end a ranged download fetches first (256 KiB): the entries before it come
// in the body, after the directory was judged, and their reads wait for them.
const CONTENT = {
  'index.html': `<html>${'x'.repeat(3000)}</html>`,
  'config.json': JSON.stringify({ assets: { a: 'b'.repeat(2000) } }),
  'files/padding.bin': noise(400 * 1024),
};

const WAYS = BOTH.flatMap((mode) => (['disk', 'ranges', 'whole'] as const).map((source) => [mode, source] as const));

describe.each(WAYS)(
  'hostile archives, entries read by %s from %s: an ArchiveError naming the problem, never a crash',
  (mode, source) => {
    it('an entry that inflates to more than it declares', async () => {
      const zip = await zipOf(CONTENT);
      const at = layout(zip).find((e) => e.name === 'index.html')!;
      zip.writeUInt32LE(3000, at.cd + 24);
      zip.writeUInt32LE(3000, at.local + 22);
      const error = (await readEvery(zip, mode, source)) as ArchiveError;
      expect(error).toBeInstanceOf(ArchiveError);
      expect(error.entry).toBe('index.html');
      expect(error.message).toBe(
        mode === 'read'
          ? 'Entry "index.html" inflates to more than the 3000 bytes the archive declares: ' +
              'the archive is corrupt; run the build again'
          : 'Entry "index.html" inflates to more than the 3000 bytes the archive declares: ' +
              'the archive is corrupt; run the build again',
      );
    });

    it('an entry that inflates to less than it declares', async () => {
      const zip = await zipOf(CONTENT);
      const at = layout(zip).find((e) => e.name === 'index.html')!;
      zip.writeUInt32LE(5000, at.cd + 24);
      zip.writeUInt32LE(5000, at.local + 22);
      const error = (await readEvery(zip, mode, source)) as ArchiveError;
      expect(error.message).toBe(
        'Entry "index.html" inflates to 3013 bytes, not the 5000 the archive declares: ' +
          'the archive is corrupt; run the build again',
      );
    });

    it('an entry whose bytes do not give its CRC-32', async () => {
      const zip = await zipOf(CONTENT);
      const at = layout(zip).find((e) => e.name === 'config.json')!;
      zip.writeUInt32LE(0xdeadbeef, at.cd + 16);
      const error = (await readEvery(zip, mode, source)) as ArchiveError;
      expect(error.entry).toBe('config.json');
      expect(error.message).toMatch(
        new RegExp(
          String.raw`^Entry "config\.json" fails its CRC-32 check \(the archive declares 0xdeadbeef, ` +
            String.raw`the bytes give 0x[0-9a-f]{8}\): it was altered or damaged: ` +
            'the archive is corrupt; run the build again$',
        ),
      );
    });

    it('a stored entry altered in place (sizes right, bytes wrong)', async () => {
      const zip = await zipOf(CONTENT, true);
      const at = layout(zip).find((e) => e.name === 'index.html')!;
      const data = at.local + 30 + zip.readUInt16LE(at.local + 26) + zip.readUInt16LE(at.local + 28);
      zip[data + 100] = 'y'.charCodeAt(0);
      const error = (await readEvery(zip, mode, source)) as ArchiveError;
      expect(error.message).toMatch(/^Entry "index\.html" fails its CRC-32 check/);
    });

    it('a truncated central directory is corruption, not a hostile name', async () => {
      const zip = await zipOf(CONTENT);
      const last = layout(zip).at(-1)!;
      // the last record's name now runs on into the end-of-central-directory record (NULs and all)
      zip.writeUInt16LE(zip.readUInt16LE(last.cd + 28) + 12, last.cd + 28);
      const error = (await readEvery(zip, mode, source)) as ArchiveError;
      expect(error.message).toMatch(
        /^The archive a\.zip is corrupt or not a zip \(.*\): download it again, or run the build again$/,
      );
      expect(error.message).not.toMatch(/hostile/);
    });

    it('an entry marked encrypted', async () => {
      const zip = await zipOf(CONTENT);
      const at = layout(zip).find((e) => e.name === 'config.json')!;
      zip.writeUInt16LE(zip.readUInt16LE(at.cd + 8) | 1, at.cd + 8);
      const error = (await readEvery(zip, mode, source)) as ArchiveError;
      expect(error.message).toBe(
        'Entry "config.json" is encrypted: builds are never encrypted; the archive is not a PlayCanvas build',
      );
    });

    it('an entry whose data lies past the end of the file', async () => {
      const zip = await zipOf(CONTENT);
      const at = layout(zip).find((e) => e.name === 'config.json')!;
      zip.writeUInt32LE(zip.length + 10, at.cd + 42);
      const error = (await readEvery(zip, mode, source)) as ArchiveError;
      expect(error.message).toMatch(
        /^Entry "config\.json" lies past the end of the archive \(\d+ bytes\): the archive is truncated/,
      );
    });

    it('an entry whose local header is not where the directory says', async () => {
      const zip = await zipOf(CONTENT);
      const at = layout(zip).find((e) => e.name === 'config.json')!;
      zip.writeUInt32LE(at.local + 7, at.cd + 42);
      const error = (await readEvery(zip, mode, source)) as ArchiveError;
      expect(error.message).toMatch(
        new RegExp(
          String.raw`^Entry "config\.json" has a broken local header \(invalid local file header ` +
            String.raw`signature: 0x[0-9a-f]+\): the archive is corrupt`,
        ),
      );
    });

    it('a ZIP64 archive reads as any other', async () => {
      const zip = new yazl.ZipFile();
      for (const [name, content] of Object.entries(CONTENT))
        zip.addBuffer(Buffer.from(content), name, { forceZip64Format: true, mtime: new Date(Date.UTC(2026, 0, 1)) });
      zip.end({ forceZip64Format: true, comment: '' });
      const chunks: Buffer[] = [];
      for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      // the ZIP64 end of central directory is there
      expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
      expect(await readEvery(bytes, mode, source)).toEqual(Object.keys(CONTENT));
    });
  },
);
