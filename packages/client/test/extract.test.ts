import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { expectSameFiles, filesUnder, servedFiles, tempDir } from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveError, extractArchive } from '../src/index.js';
import { BUILD, caught, clientFor, startMock } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('extractArchive: the direct writer (no gulp)', () => {
  it.each([
    ['beside and renamed', false],
    ['at their names in a fresh folder', true],
  ])('writes every entry with the bytes, modes and mtimes of the archive (%s)', async (_, fresh) => {
    const { client } = clientFor(server);
    const { job, archive } = await client.build({ ...BUILD, scenes: [2000, 2001] });
    const out = await tempDir();
    const written: string[] = [];
    const result = await extractArchive(await archive.open(), out, {
      fresh,
      onFile: (entry) => written.push(entry.name),
    });
    await archive.dispose();
    const served = await servedFiles(job.data.downloadUrl as string);
    expectSameFiles(await filesUnder(out), served);
    expect(result).toEqual({
      files: served.size,
      bytes: [...served.values()].reduce((sum, f) => sum + f.bytes.length, 0),
    });
    expect(written.sort()).toEqual([...served.keys()].sort());
  });

  it.each([
    ['beside and renamed', false],
    ['at their names in a fresh folder', true],
  ])(
    'leaves no half-written file when an entry is corrupt: the whole files stay, the broken one is gone (%s)',
    async (_, fresh) => {
      const { client } = clientFor(server);
      // the engine is large: it streams to disk, and is half there when its corruption shows
      server.addFault({ route: 'download', fault: { type: 'corrupt-entry', entry: 'playcanvas-stable.min.js' } });
      const { archive } = await client.build(BUILD);
      const out = await tempDir();
      const error = await caught(extractArchive(await archive.open(), out, { fresh }));
      await archive.dispose();
      expect(error).toBeInstanceOf(ArchiveError);
      expect(error.message).toMatch(
        /^Entry "playcanvas-stable\.min\.js" (fails its CRC-32 check|cannot be inflated|inflates to more than)/,
      );
      const names = (await readdir(out, { recursive: true })) as string[];
      expect(names.filter((n) => n.endsWith('.partial'))).toEqual([]);
      expect(names).not.toContain('playcanvas-stable.min.js');
      expect(names).toContain('index.html');
    },
  );

  it('in a fresh folder, refuses to replace a file already there, and leaves it as it was', async () => {
    const { client } = clientFor(server);
    const { archive } = await client.build(BUILD);
    const out = await tempDir();
    await writeFile(join(out, 'index.html'), 'not the build');
    const error = await caught(extractArchive(await archive.open(), out, { fresh: true }));
    await archive.dispose();
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error.message).toBe(
      `Entry "index.html" would replace a file already in ${out}: the archive holds that name twice ` +
        '(perhaps differing only in case), or the folder was not new and empty',
    );
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('not the build');
  });

  it('stops when its signal aborts', async () => {
    const { client } = clientFor(server);
    const { archive } = await client.build(BUILD);
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    const error = await caught(extractArchive(await archive.open(), await tempDir(), { signal: controller.signal }));
    await archive.dispose();
    expect(error.message).toBe('stopped');
  });
});
