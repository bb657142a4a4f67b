import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { ArchiveError, openArchive } from '../src/index.js';

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

async function zipOf(entries: Record<string, string>, store = false): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) zip.file(name, content, { date: new Date(Date.UTC(2026, 0, 1)) });
  return zip.generateAsync({ type: 'nodebuffer', platform: 'UNIX', compression: store ? 'STORE' : 'DEFLATE' });
}

async function onDisk(bytes: Buffer): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'hostile-')), 'a.zip');
  await writeFile(file, bytes);
  return file;
}

type Mode = 'read' | 'stream';

/** Reads every entry one way; resolves to the ArchiveError it ends with (or to the names read). */
async function readEvery(file: string, mode: Mode): Promise<ArchiveError | string[]> {
  const names: string[] = [];
  try {
    for await (const entry of await openArchive(file)) {
      if (mode === 'read') await entry.read();
      else for await (const _ of await entry.openStream());
      names.push(entry.name);
    }
    return names;
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return error;
  }
}

const BOTH: Mode[] = ['read', 'stream'];
const CONTENT = { 'index.html': `<html>${'x'.repeat(3000)}</html>`, 'config.json': JSON.stringify({ assets: { a: 'b'.repeat(2000) } }) };

describe.each(BOTH)('hostile archives, entries read by %s: an ArchiveError naming the problem, never a crash', (mode) => {
  it('an entry that inflates to more than it declares', async () => {
    const zip = await zipOf(CONTENT);
    const at = layout(zip).find((e) => e.name === 'index.html')!;
    zip.writeUInt32LE(3000, at.cd + 24);
    zip.writeUInt32LE(3000, at.local + 22);
    const error = (await readEvery(await onDisk(zip), mode)) as ArchiveError;
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error.entry).toBe('index.html');
    expect(error.message).toBe(
      mode === 'read'
        ? 'Entry "index.html" inflates to more than the 3000 bytes the archive declares: the archive is corrupt; run the build again'
        : 'Entry "index.html" inflates to more than the 3000 bytes the archive declares: the archive is corrupt; run the build again',
    );
  });

  it('an entry that inflates to less than it declares', async () => {
    const zip = await zipOf(CONTENT);
    const at = layout(zip).find((e) => e.name === 'index.html')!;
    zip.writeUInt32LE(5000, at.cd + 24);
    zip.writeUInt32LE(5000, at.local + 22);
    const error = (await readEvery(await onDisk(zip), mode)) as ArchiveError;
    expect(error.message).toBe(
      'Entry "index.html" inflates to 3013 bytes, not the 5000 the archive declares: the archive is corrupt; run the build again',
    );
  });

  it('an entry whose bytes do not give its CRC-32', async () => {
    const zip = await zipOf(CONTENT);
    const at = layout(zip).find((e) => e.name === 'config.json')!;
    zip.writeUInt32LE(0xdeadbeef, at.cd + 16);
    const error = (await readEvery(await onDisk(zip), mode)) as ArchiveError;
    expect(error.entry).toBe('config.json');
    expect(error.message).toMatch(
      /^Entry "config\.json" fails its CRC-32 check \(the archive declares 0xdeadbeef, the bytes give 0x[0-9a-f]{8}\): it was altered or damaged: the archive is corrupt; run the build again$/,
    );
  });

  it('a stored entry altered in place (sizes right, bytes wrong)', async () => {
    const zip = await zipOf(CONTENT, true);
    const at = layout(zip).find((e) => e.name === 'index.html')!;
    const data = at.local + 30 + zip.readUInt16LE(at.local + 26) + zip.readUInt16LE(at.local + 28);
    zip[data + 100] = 'y'.charCodeAt(0);
    const error = (await readEvery(await onDisk(zip), mode)) as ArchiveError;
    expect(error.message).toMatch(/^Entry "index\.html" fails its CRC-32 check/);
  });

  it('a truncated central directory is corruption, not a hostile name', async () => {
    const zip = await zipOf(CONTENT);
    const last = layout(zip).at(-1)!;
    // the last record's name now runs on into the end-of-central-directory record (NULs and all)
    zip.writeUInt16LE(zip.readUInt16LE(last.cd + 28) + 12, last.cd + 28);
    const error = (await readEvery(await onDisk(zip), mode)) as ArchiveError;
    expect(error.message).toMatch(/^The archive a\.zip is corrupt or not a zip \(.*\): download it again, or run the build again$/);
    expect(error.message).not.toMatch(/hostile/);
  });

  it('an entry marked encrypted', async () => {
    const zip = await zipOf(CONTENT);
    const at = layout(zip).find((e) => e.name === 'config.json')!;
    zip.writeUInt16LE(zip.readUInt16LE(at.cd + 8) | 1, at.cd + 8);
    const error = (await readEvery(await onDisk(zip), mode)) as ArchiveError;
    expect(error.message).toBe('Entry "config.json" is encrypted: builds are never encrypted; the archive is not a PlayCanvas build');
  });

  it('an entry whose data lies past the end of the file', async () => {
    const zip = await zipOf(CONTENT);
    const at = layout(zip).find((e) => e.name === 'config.json')!;
    zip.writeUInt32LE(zip.length + 10, at.cd + 42);
    const error = (await readEvery(await onDisk(zip), mode)) as ArchiveError;
    expect(error.message).toMatch(/^Entry "config\.json" lies past the end of the archive \(\d+ bytes\): the archive is truncated/);
  });

  it('an entry whose local header is not where the directory says', async () => {
    const zip = await zipOf(CONTENT);
    const at = layout(zip).find((e) => e.name === 'config.json')!;
    zip.writeUInt32LE(at.local + 7, at.cd + 42);
    const error = (await readEvery(await onDisk(zip), mode)) as ArchiveError;
    expect(error.message).toMatch(
      /^Entry "config\.json" has a broken local header \(invalid local file header signature: 0x[0-9a-f]+\): the archive is corrupt/,
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
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // the ZIP64 end of central directory is there
    expect(await readEvery(await onDisk(bytes), mode)).toEqual(['index.html', 'config.json']);
  });
});
