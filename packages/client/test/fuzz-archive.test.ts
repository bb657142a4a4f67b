import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import JSZip from 'jszip';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ArchiveError, openArchive } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archive-fuzz-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const nameSegment = fc.oneof(
  fc.constantFrom('..', '.', '', 'a', 'index.html', 'C:', '\\..', 'files', '\u0000', '..\\x'),
  fc.string({ maxLength: 8 }),
);
const benignName = fc
  .array(
    fc.stringMatching(/^[\w.-]{1,10}$/).filter((s) => s !== '.' && s !== '..'),
    { minLength: 1, maxLength: 3 },
  )
  .map((s) => s.join('/'));
const entryName = fc.oneof(
  { arbitrary: benignName, weight: 4 },
  { arbitrary: fc.array(nameSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')), weight: 1 },
  { arbitrary: fc.constantFrom('/abs', 'C:/x', '\\\\server\\share', 'a/../../b'), weight: 1 },
);
const entry = fc.record({
  name: entryName,
  content: fc.uint8Array({ maxLength: 2000 }),
  mode: fc.constantFrom(0o100644, 0o100755, 0o120777, 0o040755, 0o104777, 0),
});
const mutation = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
      count: fc.integer({ min: 1, max: 8 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), weight: 1 },
);

async function archiveBytes(entries: Array<{ name: string; content: Uint8Array; mode: number }>): Promise<Buffer> {
  const zip = new JSZip();
  for (const e of entries)
    zip.file(e.name, e.content, {
      ...(e.mode ? { unixPermissions: e.mode } : {}),
      createFolders: false,
      date: new Date(Date.UTC(2026, 0, 1)),
    });
  return zip.generateAsync({ type: 'nodebuffer', platform: 'UNIX', compression: 'DEFLATE' });
}

function mutate(
  bytes: Buffer,
  m: { kind: 'none' } | { kind: 'flip'; at: number; value: number; count: number } | { kind: 'truncate'; at: number },
): Buffer {
  if (m.kind === 'none' || bytes.length === 0) return bytes;
  if (m.kind === 'truncate') return bytes.subarray(0, m.at % bytes.length);
  const copy = Buffer.from(bytes);
  for (let i = 0; i < m.count; i++) copy[(m.at + i * 7) % copy.length] = m.value;
  return copy;
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

it('random and mutated archives, read at once and streamed: the reader never hangs, ' +
  'never lets a name escape, and ends with entries or an ArchiveError', async () => {
  const out = resolve(dir, 'out');
  let ran = 0;
  let accepted = 0;
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(entry, { minLength: 0, maxLength: 6 }), mutation, async (entries, m) => {
      ran += 1;
      const file = join(dir, `case-${ran}.zip`);
      await writeFile(file, mutate(await archiveBytes(entries), m));
      try {
        await withDeadline(
          (async () => {
            for await (const e of await openArchive(file, { maxTotalBytes: 1_000_000 })) {
              const target = resolve(out, e.name);
              expect(target.startsWith(out + sep)).toBe(true);
              expect(e.name.includes('\u0000')).toBe(false);
              // both ways of reading agree: the same bytes, or both an ArchiveError (never a raw error, never one of
              // each)
              const streamed = async () => {
                const chunks: Buffer[] = [];
                for await (const chunk of await e.openStream()) chunks.push(chunk as Buffer);
                return Buffer.concat(chunks);
              };
              const [read, stream] = await Promise.allSettled([e.read(), streamed()]);
              expect(read.status).toBe(stream.status);
              if (read.status === 'rejected') throw read.reason;
              if (stream.status === 'rejected') throw stream.reason;
              expect(stream.value.equals(read.value)).toBe(true);
            }
          })(),
          5000,
        );
        accepted += 1;
      } catch (error) {
        if (!(error instanceof ArchiveError)) throw error;
        refused += 1;
      } finally {
        await rm(file, { force: true });
      }
    }),
    { numRuns: 400, interruptAfterTimeLimit: 20_000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  );
  console.log(`archive fuzzing: ${ran} archives, ${accepted} read, ${refused} refused with ArchiveError`);
  expect(ran).toBeGreaterThan(100);
  // both outcomes happened: the property was tested on archives that read and on archives that fail
  expect(accepted).toBeGreaterThan(10);
  expect(refused).toBeGreaterThan(10);
}, 60_000);
