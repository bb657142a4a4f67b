import { createHash } from 'node:crypto';
import { BuildCheckError, type Problem } from '@gulp-playcanvas/playcanvas-build-check';
import { browserTest, buildFiles, SCRIPTS_RAN } from 'test-support';
import { describe, expect, it } from 'vitest';
import { cspStep, processFiles, singleFileStep } from '../src/index.js';
import { QUICK, refusal, useLab } from './helpers.js';

const lab = useLab();

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const html = (files: ReadonlyMap<string, Buffer>) => files.get('index.html')?.toString() ?? '';
const withPage = (build: Map<string, Buffer>, edit: (page: string) => string) =>
  new Map(build).set('index.html', Buffer.from(edit(html(build))));

async function violations(files: ReadonlyMap<string, Buffer>, until: string): Promise<Problem[]> {
  try {
    await lab.checker.check(files, { ...QUICK, until });
    return [];
  } catch (error) {
    if (!(error instanceof BuildCheckError)) throw error;
    return error.problems;
  }
}

/** index.html with what the Editor's page does not have but pages people edit do. */
const EDITED = (page: string) =>
  page
    .replace('<body>', '<body onload="window.__onloadRan = true" style="margin: 0">')
    .replace('</body>', '<!-- analytics --!>\n<script>window.__afterComment = true;</script>\n<!-- end -->\n</body>');
const EDITED_RAN = `${SCRIPTS_RAN} && window.__onloadRan === true && window.__afterComment === true`;

describe('csp(): index.html read as the browser reads it', () => {
  it("covers inline event handlers and style attributes with 'unsafe-hashes' and their hashes, saying so", async () => {
    const { report, notes } = await processFiles(cspStep(), withPage(await buildFiles(lab.server), EDITED));
    expect(report.sources).toContainEqual({
      directive: 'script-src',
      source: hash('window.__onloadRan = true'),
      why: 'the onload on <body> in index.html',
    });
    expect(report.sources).toContainEqual({
      directive: 'style-src',
      source: hash('margin: 0'),
      why: 'the style on <body> in index.html',
    });
    expect(report.policy).toMatch(/script-src [^;]*'unsafe-hashes'/);
    expect(notes).toContain(
      'index.html has inline event handlers (onload on <body>): ' +
        "the policy allows exactly these by hash with 'unsafe-hashes'; listeners added in a script need neither",
    );
    // a comment closed with --!> ends there, as in a browser: the script after it runs, so it is hashed
    expect(report.sources).toContainEqual({
      directive: 'script-src',
      source: hash('window.__afterComment = true;'),
      why: 'inline script 5 of index.html',
    });
  });

  browserTest(
    'that page boots under its policy: the handler, the style attribute and the script after --!> all allowed',
    async () => {
      const { files } = await processFiles(cspStep(), withPage(await buildFiles(lab.server), EDITED));
      expect(await violations(files, EDITED_RAN)).toEqual([]);
    },
  );

  it('refuses a javascript: URL, which no strict policy allows, naming the element and the fix', async () => {
    const page = (p: string) => p.replace('</body>', '<a href=" JAVA\tSCRIPT:go()">play</a>\n</body>');
    const build = await buildFiles(lab.server);
    expect(await refusal(() => processFiles(cspStep(), withPage(build, page)))).toBe(
      'index.html has a javascript: URL (href on <a>: " JAVA\\tSCRIPT:go()"), which a strict policy blocks: ' +
        'give the element a listener in a script (addEventListener) instead',
    );
  });

  it('1 MB of unclosed <script>: one script to the end of the page, hashed as the browser runs it', async () => {
    const build = await buildFiles(lab.server);
    const files = withPage(build, (p) => p.replace('</body>', `${'<script>'.repeat(131_072)}</body>`));
    const page = html(files);
    const started = performance.now();
    const { report } = await processFiles(cspStep(), files);
    const ms = performance.now() - started;
    const text = page.slice(page.indexOf('<script><script>') + '<script>'.length);
    expect(report.sources).toContainEqual({
      directive: 'script-src',
      source: hash(text),
      why: 'inline script 5 of index.html',
    });
    console.info(`csp() over 1 MB of unclosed <script>: ${ms.toFixed(0)} ms`);
  });

  it('1 MB of unclosed <!--: everything after it is a comment, so the body scripts are not in the page', async () => {
    const files = withPage(await buildFiles(lab.server), (p) => p.replace('<body>', `<body>${'<!--'.repeat(262_144)}`));
    const started = performance.now();
    const { report } = await processFiles(cspStep(), files);
    const ms = performance.now() - started;
    expect(report.sources.filter((s) => /__start__|__loading__/.test(s.why))).toEqual([]);
    expect(report.sources).toContainEqual({
      directive: 'script-src',
      source: "'self'",
      why: 'index.html loads __settings__.js',
    });
    console.info(`csp() over 1 MB of unclosed <!--: ${ms.toFixed(0)} ms`);
  });

  it('takes the byte order marks browsers accept, in config.json and the scripts', async () => {
    const build = await buildFiles(lab.server);
    const expected = (await processFiles(cspStep(), build)).report.policy;
    const marked = new Map(build);
    for (const path of ['config.json', '__settings__.js', '__loading__.js', '__start__.js'])
      marked.set(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), build.get(path) as Buffer]));
    expect((await processFiles(cspStep(), marked)).report.policy).toBe(expected);
    expect(html((await processFiles(singleFileStep(), marked)).files)).toContain('data-pc-file="config.json"');
  });

  it('is linear in the number of assets: 100,000 of them in a few seconds', { timeout: 20_000 }, async () => {
    const build = await buildFiles(lab.server);
    const config = JSON.parse(build.get('config.json')?.toString() ?? '{}');
    for (let i = 0; i < 100_000; i++)
      config.assets[String(10_000 + i)] = {
        name: `t${i}.png`,
        type: 'texture',
        file: { url: `files/assets/${10_000 + i}/1/t${i}.png` },
        data: {},
      };
    const started = performance.now();
    const { report } = await processFiles(
      cspStep(),
      new Map(build).set('config.json', Buffer.from(JSON.stringify(config))),
    );
    const ms = performance.now() - started;
    expect(
      report.sources.filter((s) => s.directive === 'img-src' && /^browsers without createImageBitmap/.test(s.why))
        .length,
    ).toBe(100_001);
    console.info(`csp() over 100,000 assets: ${ms.toFixed(0)} ms`);
  });

  it('writes its headers file inside the build only: absolute paths and .. leading out are refused', async () => {
    for (const [path, why] of <Array<[string, string]>>[
      ['../../x', 'leads out of it'],
      ['a/../../x', 'leads out of it'],
      ['/etc/x', 'is absolute'],
      ['C:/x', 'is absolute'],
      ['a\\..\\..\\x', 'has a backslash: write folders with /'],
      ['config/', 'names a folder, not a file'],
    ])
      expect(await refusal(() => cspStep({ headersFile: path }))).toBe(
        `csp option headersFile must be a path inside the build, like "_headers" or "config/_headers"; ` +
          `${JSON.stringify(path)} ${why}`,
      );
    const { files } = await processFiles(
      cspStep({ headersFile: './config/../config/_headers' }),
      await buildFiles(lab.server),
    );
    expect(files.get('config/_headers')?.toString()).toMatch(/^\/\*\n {2}Content-Security-Policy: default-src 'none';/);
  });

  it('never writes its headers file over a file or a folder of the build', async () => {
    // before: headersFile 'index.html' replaced the page with the headers text (exit 0, the build gone), and
    // 'files' (a folder of the build) passed the step and failed in gulp.dest with EISDIR
    const build = await buildFiles(lab.server);
    for (const [path, what] of <Array<[string, string]>>[
      ['index.html', 'a file of the build'],
      ['config.json', 'a file of the build'],
      ['files', 'a folder of the build'],
      ['files/assets', 'a folder of the build'],
    ])
      expect(await refusal(() => processFiles(cspStep({ headersFile: path }), build))).toBe(
        `csp option headersFile names ${path}, ${what}, which the headers would replace: ` +
          `name a new file, like "_headers"`,
      );
    // a headers file the build already has is the one to replace
    const { files } = await processFiles(
      cspStep({ headersFile: true }),
      new Map(build).set('_headers', Buffer.from('/old\n  X-Old: 1\n')),
    );
    expect(files.get('_headers')?.toString()).toMatch(/^\/\*\n {2}Content-Security-Policy: default-src 'none';/);
  });
});
