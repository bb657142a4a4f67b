import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { BuildEntry } from '../src/builds/spec.js';
import { writeZip } from '../src/builds/zip-writer.js';

const MiB = 1024 * 1024;
const MTIME = new Date('2026-03-01T12:34:56Z');

/** Bytes that do not compress: a different seed, different bytes. */
function noise(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}

/** Content as the generated builds give it: a stream made on demand, in 64 KiB chunks. */
const generated = (data: Buffer) => () =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
    })(),
  );

function collect(): { sink: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks) };
}

async function ours(entries: BuildEntry[]): Promise<Buffer> {
  const { sink, bytes } = collect();
  await writeZip(entries, { mtime: MTIME, mode: 0o100644 }, sink);
  return bytes();
}

async function yazls(entries: BuildEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const options = { mtime: MTIME, mode: entry.mode ?? 0o100644, compressionLevel: 6 };
    const { content } = entry;
    if (typeof content === 'function')
      zip.addReadStreamLazy(entry.name, options, (callback) => callback(null, content()));
    else zip.addBuffer(typeof content === 'string' ? Buffer.from(content) : content, entry.name, options);
  }
  zip.end();
  const { sink, bytes } = collect();
  await pipeline(zip.outputStream, sink);
  return bytes();
}

async function read(zip: Buffer): Promise<Array<{ name: string; mode: number; mtime: number; sha: string }>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, validateEntrySizes: true });
  const out = [];
  for await (const entry of file.eachEntry()) {
    const data: Buffer[] = [];
    for await (const chunk of await file.openReadStreamPromise(entry)) data.push(chunk as Buffer);
    out.push({
      name: entry.fileName,
      mode: entry.externalFileAttributes >>> 16,
      mtime: entry.getLastModDate({ forceDosFormat: false }).getTime(),
      sha: createHash('sha256').update(Buffer.concat(data)).digest('hex'),
    });
  }
  return out;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe("the mock's zip writer", () => {
  // two large generated entries in a row: the second is deflated ahead, holds its output until its turn
  const large = [noise(20 * MiB, 7), Buffer.from('x = 1;\n'.repeat(3 * MiB))];
  const entries = (): BuildEntry[] => [
    { name: 'a/config.json', content: '{"application_properties":{}}' },
    { name: 'a/big.bin', content: generated(large[0] as Buffer) },
    { name: 'a/big.js', content: generated(large[1] as Buffer) },
    { name: 'b/run.sh', content: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o100755 },
    { name: 'b/small.bin', content: generated(noise(300_000, 3)) },
    { name: 'c/empty.txt', content: '' },
  ];

  it('writes the same bytes as yazl, every entry readable with its content, mode and mtime', async () => {
    const mine = await ours(entries());
    expect(sha(mine)).toBe(sha(await yazls(entries())));
    const listed = await read(mine);
    expect(listed.map((e) => [e.name, e.mode.toString(8), e.mtime])).toEqual([
      ['a/config.json', '100644', MTIME.getTime()],
      ['a/big.bin', '100644', MTIME.getTime()],
      ['a/big.js', '100644', MTIME.getTime()],
      ['b/run.sh', '100755', MTIME.getTime()],
      ['b/small.bin', '100644', MTIME.getTime()],
      ['c/empty.txt', '100644', MTIME.getTime()],
    ]);
    expect(listed[1]?.sha).toBe(sha(large[0] as Buffer));
    expect(listed[2]?.sha).toBe(sha(large[1] as Buffer));
  });

  it(
    'deflates entries marked incompressible without a search for repeats: ' +
      'the same content, the same bytes every time',
    async () => {
      const marked = () =>
        entries().map((entry) => (entry.name.endsWith('.bin') ? { ...entry, incompressible: true } : entry));
      const [first, second] = [await ours(marked()), await ours(marked())];
      expect(first.equals(second)).toBe(true);
      expect((await read(first)).map((e) => e.sha)).toEqual((await read(await yazls(entries()))).map((e) => e.sha));
    },
  );

  it('refuses a name that would leave the folder it is extracted to', async () => {
    await expect(ours([{ name: '../evil', content: 'x' }])).rejects.toThrow(
      /invalid entry name for the mock's archive: "\.\.\/evil"/,
    );
  });
});
