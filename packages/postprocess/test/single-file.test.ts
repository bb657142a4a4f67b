import { BuildCheckError, type Problem } from '@gulp-playcanvas/playcanvas-build-check';
import { browserTest, buildFiles, SCRIPTS_RAN, STATIC_VARIANTS } from 'test-support';
import { describe, expect, it } from 'vitest';
import { cspStep, PostprocessError, processFiles, singleFileStep, stampVersionStep } from '../src/index.js';
import { QUICK, refusal, useLab } from './helpers.js';

const lab = useLab();

/** A single file, then its strict policy: what an ad network is given. */
async function singleWithPolicy(build: Map<string, Buffer>, options = {}) {
  const single = await processFiles(singleFileStep(options), build);
  const { files } = await processFiles(cspStep(), single.files);
  return { files, report: single.report };
}

async function boot(files: ReadonlyMap<string, Buffer>, until = SCRIPTS_RAN) {
  try {
    return { result: await lab.checker.check(files, { ...QUICK, until }), problems: [] as Problem[] };
  } catch (error) {
    if (!(error instanceof BuildCheckError)) throw error;
    return { result: error.result, problems: error.problems };
  }
}

describe('singleFile(): one self-contained HTML', () => {
  it('leaves the build’s index.html alone, every file the page asks for inside it; a size report by part', async () => {
    const { files, report } = await processFiles(singleFileStep(), await buildFiles(lab.server));
    expect([...files.keys()]).toEqual(['index.html']);
    const html = files.get('index.html')?.toString() ?? '';
    for (const path of [
      'config.json',
      '2000.json',
      '2001.json',
      'files/assets/3000/2/player.js',
      'files/assets/3002/3/ship.png',
      'logo.png',
    ])
      expect(html, path).toContain(`data-pc-file="${path}"`);
    expect(html).not.toMatch(/<script src=|<link rel="stylesheet"|<link rel="manifest"/);
    expect(report.total).toBe(Buffer.byteLength(html));
    expect(report.parts.map((p) => p.part)).toEqual(
      expect.arrayContaining([
        'engine',
        'boot scripts',
        'single-file runtime',
        'config',
        'scenes',
        'game scripts',
        'texture assets',
        'styles',
        'page markup',
      ]),
    );
    expect(report.parts.reduce((sum, p) => sum + p.embeddedBytes, 0)).toBe(report.total);
    expect(report.largest[0]?.path).toBe('playcanvas-stable.min.js');
  });

  it('compress: true gzips the engine and boot scripts, about 2 MB less', async () => {
    const build = await buildFiles(lab.server);
    const plain = (await processFiles(singleFileStep(), build)).report.total;
    const compressed = (await processFiles(singleFileStep({ compress: true }), build)).report.total;
    expect(plain - compressed).toBeGreaterThan(1_500_000);
  });

  it('fails with the size report when the file is over maxBytes, naming the option and the remedy', async () => {
    let error: unknown;
    try {
      await processFiles(singleFileStep({ maxBytes: 1_000_000 }), await buildFiles(lab.server));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PostprocessError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        String.raw`^The single file is \d+ bytes, over the 1000000 allowed \(maxBytes\); compress: ` +
          String.raw`true makes the engine about 2 MB smaller:\nsingle file: [\d.]+ KB\n {2}engine +1 file `,
      ),
    );
    expect(message).toContain('game scripts');
  });

  it('keeps the other files with keepFiles, and writes another name with output', async () => {
    const { files } = await processFiles(
      singleFileStep({ keepFiles: true, output: 'playable.html' }),
      await buildFiles(lab.server),
    );
    expect(files.has('playable.html')).toBe(true);
    expect(files.get('index.html')?.toString()).toContain('<script src="__start__.js">');
  });

  it('refuses ES module scripts, a single file twice, and wrong options, naming each', async () => {
    const build = await buildFiles(lab.server);
    const config = JSON.parse(build.get('config.json')?.toString() ?? '{}');
    config.assets['3000'].file.url = 'files/assets/3000/2/player.mjs';
    expect(
      await refusal(() =>
        processFiles(singleFileStep(), new Map(build).set('config.json', Buffer.from(JSON.stringify(config)))),
      ),
    ).toBe(
      'Script player.js is an ES module (files/assets/3000/2/player.mjs) in a classic build: ' +
        'its page has no module bundle to carry it; export the project again so that the Editor writes the ' +
        'ES module layout (js/index.mjs)',
    );
    const once = (await processFiles(singleFileStep(), build)).files;
    expect(await refusal(() => processFiles(singleFileStep(), once))).toBe(
      'index.html is a single file already: singleFile() runs once, on the build as downloaded',
    );
    expect(await refusal(() => singleFileStep({ maxBytes: '5MB' } as never))).toBe(
      'singleFile option maxBytes must be a positive whole number of bytes (5 MB: 5242880); got 5MB',
    );
    expect(await refusal(() => singleFileStep({ output: '../x.html' }))).toBe(
      'singleFile option output must be a path in the build ending in .html; got ../x.html',
    );
  });
});

describe('singleFile(): the files config.json does not name', () => {
  it('a Basis-compressed texture ships only its .basis: that is embedded, its missing .png is no note', async () => {
    const build = await buildFiles(lab.server);
    const config = JSON.parse(build.get('config.json')?.toString() ?? '{}');
    const file = config.assets['3002'].file;
    file.variants = { basis: { filename: 'ship.basis', url: 'files/assets/3002/3/ship.basis', size: 4, hash: 'x' } };
    const files = new Map(build).set('config.json', Buffer.from(JSON.stringify(config)));
    files.delete('files/assets/3002/3/ship.png');
    files.set('files/assets/3002/3/ship.basis', Buffer.from('sB\0\0'));
    const { files: out, notes } = await processFiles(singleFileStep(), files);
    const html = out.get('index.html')?.toString() ?? '';
    expect(html.includes('data-pc-file="files/assets/3002/3/ship.basis"')).toBe(true);
    expect(html.includes('data-pc-file="files/assets/3002/3/ship.png"')).toBe(false);
    expect(notes).toEqual([]);
  });
});

describe('singleFile() over every static variant', () => {
  for (const [name, body] of STATIC_VARIANTS) {
    it(`${name}: every file config.json lists is embedded, and nothing is loaded from a URL`, async () => {
      const build = await buildFiles(lab.server, body);
      const { files } = await processFiles(singleFileStep(), build);
      const html = files.get('index.html')?.toString() ?? '';
      const config = JSON.parse(build.get('config.json')?.toString() ?? '{}') as {
        assets: Record<string, { file?: { url: string } }>;
      };
      const urls = Object.values(config.assets).flatMap((a) => (a.file ? [a.file.url] : []));
      expect(urls.length).toBeGreaterThanOrEqual(3);
      for (const url of urls) expect(html, url).toContain(`data-pc-file="${url}"`);
      expect(html).not.toMatch(/\ssrc="|\shref="(?!data:)/);
    });
  }
});

describe('singleFile(): proven in Chromium, under its strict policy, with no request but the page', () => {
  for (const [name, body] of [STATIC_VARIANTS[0], STATIC_VARIANTS.at(-1)] as Array<[string, Record<string, unknown>]>) {
    browserTest(name, async () => {
      const { files } = await singleWithPolicy(await buildFiles(lab.server, body));
      const { result, problems } = await boot(files);
      expect(problems).toEqual([]);
      expect(result.requests.map((r) => new URL(r.url).pathname)).toEqual(['/index.html']);
    });
  }

  browserTest('compressed, after stampVersion, and with a WebAssembly module', async () => {
    const stamped = await processFiles(stampVersionStep('2.0.1'), await buildFiles(lab.wasmServer));
    const { files } = await singleWithPolicy(stamped.files, { compress: true });
    const { result, problems } = await boot(
      files,
      "window.__wasmLoaded === 'wasm:5' && window.BUILD_VERSION === '2.0.1'",
    );
    expect(problems).toEqual([]);
    // the module's glue and bytes are handed to the engine as blob: URLs: in memory, not the network
    expect(result.requests.filter((r) => r.url.startsWith('blob:')).length).toBe(2);
    expect(result.requests.filter((r) => !r.url.startsWith('blob:')).map((r) => new URL(r.url).pathname)).toEqual([
      '/index.html',
    ]);
  });
});
