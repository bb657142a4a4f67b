import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import {
  CLIENT_OPTIONS,
  createClient,
  OPTION_WORDS,
  resolveClientConfig,
} from '@gulp-playcanvas/playcanvas-rest-client';
import { liveTempDirs } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import gulp from 'gulp';
import PluginError from 'plugin-error';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolvePluginOptions } from '../packages/gulp-playcanvas/src/options.js';
import { BUILD, expectNoToken, FAST, filesUnder, servedFiles, startMock, TOKEN, tempDir } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** Runs the plugin into a fresh output folder; returns the error (if any) and what was written. */
async function run(
  options: Record<string, unknown>,
): Promise<{ error: (PluginError & Record<string, unknown>) | undefined; out: string }> {
  const out = join(await tempDir('integrity-'), 'site');
  let error: unknown;
  try {
    await pipeline(
      playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, ...BUILD, ...options } as never),
      gulp.dest(out),
    );
  } catch (e) {
    error = e;
  }
  if (error !== undefined) expectNoToken(error);
  return { error: error as (PluginError & Record<string, unknown>) | undefined, out };
}

async function written(out: string): Promise<string[]> {
  return [...(await filesUnder(out).catch(() => new Map())).keys()].sort();
}

describe('the default timeout reaches the client', () => {
  it('the plugin, given no timeout, leaves it to the client, whose default it is', () => {
    const plugin = resolvePluginOptions({ token: TOKEN, baseUrl: server.url, ...BUILD });
    expect(plugin.client.timeout).toBe(CLIENT_OPTIONS.timeout.default);
    expect(resolvePluginOptions({ token: TOKEN, baseUrl: server.url, ...BUILD, timeout: 5000 }).client.timeout).toBe(
      5000,
    );
  });

  it('a default given to the resolver (made small here) is the one a build times out at', async () => {
    server.queueScenarios({ outcome: 'running' });
    const config = resolveClientConfig({ token: TOKEN, baseUrl: server.url, ...FAST }, OPTION_WORDS, { timeout: 400 });
    const client = createClient(config);
    const outcome = await Promise.race([
      client.build(BUILD).then(
        (result) => result.archive.dispose(),
        (error: Error) => error,
      ),
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5000)),
    ]);
    expect(outcome, 'the build went on past the default timeout').not.toBe('hung');
    // which stage the 400 ms run out in depends on the machine's load; that it runs out at all is the point
    expect((outcome as Error | undefined)?.message).toMatch(
      new RegExp(
        String.raw`^Timed out after 400 ms while building project 1000( \(waiting for job 500001 to ` +
          String.raw`finish\))?: raise the timeout option if the build is large$`,
      ),
    );
    // the table is left as it was: a client resolved without the injected default waits the documented 30 minutes
    expect(resolveClientConfig({ token: TOKEN, baseUrl: server.url }).timeout).toBe(30 * 60_000);
  });
});

describe('every entry is checked against its CRC-32', () => {
  it('with extract: false, the zip is checked before it is passed on whole', async () => {
    server.addFault({ route: 'download', fault: { type: 'corrupt-entry', entry: 'config.json' } });
    const { error, out } = await run({ extract: false });
    expect(error).toBeInstanceOf(PluginError);
    expect(error?.name).toBe('ArchiveError');
    expect(error?.message).toMatch(
      /^Entry "config\.json" (fails its CRC-32 check|cannot be inflated|inflates to more than the \d+ bytes)/,
    );
    expect(await written(out)).toEqual([]);
  });

  it('with extract: false and nothing wrong, the zip is passed on as served', async () => {
    const { error, out } = await run({ extract: false, buffer: false });
    expect(error).toBeUndefined();
    expect(await written(out)).toEqual(['space-race.zip']);
  });
});

describe('no hostile archive crashes the process', () => {
  it.each([true, false])(
    'an entry lying about its size (buffer: %s) fails the stream with a PluginError naming it; no partial file stays',
    async (buffer) => {
      server.addFault({
        route: 'download',
        fault: { type: 'size-lie', entry: 'files/assets/3000/2/player.js', size: 10 },
      });
      const { error, out } = await run({ buffer });
      expect(error).toBeInstanceOf(PluginError);
      expect(error?.plugin).toBe('gulp-playcanvas');
      expect(error?.message).toBe(
        `Entry "files/assets/3000/2/player.js" inflates to more than the 10 bytes the archive declares: ` +
          `the archive is corrupt; run the build again${buffer ? ' (job 500001)' : ''}`,
      );
      // a streamed file fails while gulp.dest writes it: what it wrote of it is removed
      await new Promise((r) => setTimeout(r, 1200));
      expect(await written(out)).not.toContain('files/assets/3000/2/player.js');
      expect(liveTempDirs()).toEqual([]);
    },
  );

  it('an entry declaring 2.5 GiB fails a buffered build before anything is written, saying to stream it', async () => {
    server.addFault({ route: 'download', fault: { type: 'size-lie', entry: 'config.json', size: 2.5 * 1024 ** 3 } });
    const { error, out } = await run({});
    expect(error?.message).toBe(
      'Entry "config.json" is 2.50 GB, over maxBufferBytes (512.0 MB) for buffered contents: use buffer: ' +
        'false to stream it (memory then stays flat), or raise maxBufferBytes (job 500001)',
    );
    expect(await written(out)).toEqual([]);
  });

  it('streamed, every file that was whole is written as served', async () => {
    const { error, out } = await run({ buffer: false });
    expect(error).toBeUndefined();
    const served = await servedFiles(server.jobs()[0]?.archiveUrl as string);
    const files = await filesUnder(out);
    expect([...files.keys()].sort()).toEqual([...served.keys()].sort());
    for (const [name, facts] of served) expect(files.get(name)?.bytes.equals(facts.bytes), name).toBe(true);
    expect(await readdir(out)).toContain('index.html');
  });
});
