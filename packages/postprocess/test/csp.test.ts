import { BuildCheckError, type Problem } from '@gulp-playcanvas/playcanvas-build-check';
import { browserTest, buildFiles, SCRIPTS_RAN } from 'test-support';
import { describe, expect, it } from 'vitest';
import { cspStep, PostprocessError, processFiles } from '../src/index.js';
import { QUICK, refusal, useLab, WASM_RAN } from './helpers.js';

const lab = useLab();

const policyOf = (files: ReadonlyMap<string, Buffer>) =>
  /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(files.get('index.html')?.toString() ?? '')?.[1];

async function violations(
  files: ReadonlyMap<string, Buffer>,
  until = SCRIPTS_RAN,
  frames = QUICK.frames,
  headers = {},
): Promise<Problem[]> {
  try {
    await lab.checker.check(files, { ...QUICK, frames, until, headers });
    return [];
  } catch (error) {
    if (!(error instanceof BuildCheckError)) throw error;
    return error.problems;
  }
}

describe('csp(): a policy derived from the build', () => {
  it("lists what the mock's build loads, by hash where it is inline, and allows nothing else", async () => {
    const { files, report } = await processFiles(cspStep(), await buildFiles(lab.server));
    const policy = policyOf(files) as string;
    expect(policy).toBe(report.policy);
    expect(policy).toMatch(
      new RegExp(
        "^default-src 'none'; script-src 'self'; style-src 'self'( " +
          String.raw`'sha256-[\w+/=]+'){3}; img-src 'self'; connect-src 'self'; ` +
          "manifest-src 'self'; base-uri 'none'; form-action 'none'$",
      ),
    );
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|blob:|data:/);
    // the empty <style> of index.html, the media query __start__.js appends to it, the loading screen's <style>
    expect(report.sources.filter((s) => s.directive === 'style-src').map((s) => s.why)).toEqual([
      'index.html links styles.css',
      'an inline <style> of index.html',
      'a <style> that __start__.js inserts',
      'a <style> that __loading__.js inserts',
    ]);
    expect(report.sources.find((s) => s.source === "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='")?.why).toBe(
      'an inline <style> of index.html',
    );
  });

  it('hashes an inline script the page gained (and replaces an earlier policy, not adding a second)', async () => {
    const build = await buildFiles(lab.server);
    const html = build.get('index.html')?.toString() ?? '';
    build.set(
      'index.html',
      Buffer.from(
        html
          .replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="default-src *">`)
          .replace('</body>', '<script>window.analytics = 1;</script>\n</body>'),
      ),
    );
    const { files } = await processFiles(cspStep(), build);
    const out = files.get('index.html')?.toString() ?? '';
    expect(out.match(/Content-Security-Policy/g)).toHaveLength(1);
    // sha256 of "window.analytics = 1;"
    expect(policyOf(files)).toContain("'sha256-");
    const { createHash } = await import('node:crypto');
    expect(policyOf(files)).toContain(
      `'sha256-${createHash('sha256').update('window.analytics = 1;').digest('base64')}'`,
    );
  });

  it("adds 'wasm-unsafe-eval' only when the build has WebAssembly", async () => {
    const plain = (await processFiles(cspStep(), await buildFiles(lab.server))).report.policy;
    const { report } = await processFiles(cspStep(), await buildFiles(lab.wasmServer));
    expect(plain).not.toContain('wasm-unsafe-eval');
    expect(report.policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(report.sources.find((s) => s.source === "'wasm-unsafe-eval'")?.why).toBe(
      'WebAssembly module adder.wasm is compiled in the page',
    );
  });

  it(
    "derives 'unsafe-eval' and blob: workers from what needs them: " + 'ES module scripts, WebGPU, Basis and Draco',
    async () => {
      const build = await buildFiles(lab.server);
      const settings = build.get('__settings__.js')?.toString() ?? '';
      const config = JSON.parse(build.get('config.json')?.toString() ?? '{}');
      config.assets['3000'].file.url = 'files/assets/3000/2/player.mjs';
      build.set('config.json', Buffer.from(JSON.stringify(config)));
      build.set(
        '__settings__.js',
        Buffer.from(
          settings
            .replace("'deviceTypes': [`webgl2`, `webgl1`]", "'deviceTypes': [`webgpu`, `webgl2`]")
            .replace(
              'window.PRELOAD_MODULES = [',
              "window.PRELOAD_MODULES = [\n    {'moduleName' : 'BASIS', 'glueUrl' : " +
                "'files/assets/1/1/basis.wasm.js', 'wasmUrl' : 'files/assets/1/1/basis.wasm.wasm', " +
                "'fallbackUrl' : '', 'preload' : true},",
            ),
        ),
      );
      const { report } = await processFiles(cspStep(), build);
      const why = (source: string) => report.sources.filter((s) => s.source === source).map((s) => s.why);
      expect(why("'unsafe-eval'")).toEqual([
        'the engine imports ES module script player.js through new Function',
        "BASIS's transcoder glue compiles code with new Function in its worker",
        'WebGPU is enabled: the engine imports its shader compilers (glslang, twgsl) through new Function',
      ]);
      expect(why('blob:')).toEqual([
        'BASIS decodes in workers the engine starts from blob: URLs',
        "BASIS's worker loads the transcoder's glue from a blob: URL (importScripts)",
      ]);
      expect(report.policy).toMatch(/script-src [^;]*blob:/);
      expect(report.policy).toContain('worker-src blob:');
    },
  );

  it('takes extra sources per directive, other directives, and writes a _headers file with other headers', async () => {
    const { files, report } = await processFiles(
      cspStep({
        connect: ['https://api.example.com'],
        img: ['https://cdn.example.com', 'data:'],
        directives: { 'frame-ancestors': ["'self'"], 'upgrade-insecure-requests': [] },
        headersFile: true,
        headers: { 'X-Content-Type-Options': 'nosniff' },
      }),
      await buildFiles(lab.server),
    );
    const meta = policyOf(files) as string;
    expect(meta).toContain("connect-src 'self' https://api.example.com");
    expect(meta).toContain("img-src 'self' https://cdn.example.com data:");
    expect(meta).toContain('upgrade-insecure-requests');
    expect(meta, 'frame-ancestors is ignored in a meta policy').not.toContain('frame-ancestors');
    expect(report.policy).toBe(meta);
    const headers = files.get('_headers')?.toString();
    const withAncestors = meta.replace(
      '; upgrade-insecure-requests',
      "; frame-ancestors 'self'; upgrade-insecure-requests",
    );
    expect(headers).toBe(`/*\n  Content-Security-Policy: ${withAncestors}\n  X-Content-Type-Options: nosniff\n`);
  });

  it('refuses options that would break or smuggle into the policy, naming the fix', async () => {
    expect(await refusal(() => cspStep({ connect: ['self'] }))).toBe(
      `csp option connect has self: keywords are quoted in a policy, write "'self'"`,
    );
    expect(await refusal(() => cspStep({ img: ["data:; script-src 'unsafe-inline'"] }))).toMatch(
      /^csp option img has "data:; script-src 'unsafe-inline'": one source per entry, without spaces, ';' or ','$/,
    );
    expect(await refusal(() => cspStep({ connects: [] } as never))).toBe(
      'csp option connects is unknown; the options are connect, img, script, style, media, font, worker, ' +
        'frame, directives, meta, headersFile, headers, byHand',
    );
    expect(await refusal(() => cspStep({ meta: false }))).toBe(
      'csp options meta: false and no headersFile leave the policy nowhere: keep the meta, or set headersFile',
    );
    expect(await refusal(() => cspStep({ headers: { 'X-A': 'a\r\nSet-Cookie: b' } }))).toBe(
      "csp option headers['X-A'] must be a one-line string",
    );
  });

  it('fails naming the file when the build has no index.html', async () => {
    const build = await buildFiles(lab.server);
    build.delete('index.html');
    const error = (await processFiles(cspStep(), build).catch((e: unknown) => e)) as PostprocessError;
    expect(error).toBeInstanceOf(PostprocessError);
    expect(error.message).toBe(
      'The build has no index.html, which the policy goes into: is this a PlayCanvas "static" build?',
    );
    expect(error.file).toBe('index.html');
  });
});

// every build variant boots under its policy in test/build-check.test.ts (one boot of each variant for both packages)

describe('csp(): proven in Chromium', () => {
  browserTest('a build with WebAssembly boots under its policy, and needs its wasm-unsafe-eval', async () => {
    const { files, report } = await processFiles(cspStep(), await buildFiles(lab.wasmServer));
    expect(await violations(files, WASM_RAN)).toEqual([]);
    const without = new Map(files);
    without.set(
      'index.html',
      Buffer.from((files.get('index.html') as Buffer).toString().replace(" 'wasm-unsafe-eval'", '')),
    );
    expect(report.policy).toContain("'wasm-unsafe-eval'");
    // refused, the engine falls back to the module's asm.js-style fallback: the app runs, the violation is reported
    expect(
      (await violations(without, "typeof window.__wasmLoaded === 'string'")).some(
        (p) => p.kind === 'csp-violation' && p.directive === 'script-src',
      ),
    ).toBe(true);
  });

  browserTest('as a _headers file (meta: false), as static hosts apply it', async () => {
    const { files } = await processFiles(cspStep({ meta: false, headersFile: true }), await buildFiles(lab.server));
    expect(files.get('index.html')?.toString()).not.toContain('Content-Security-Policy');
    expect(await violations(files)).toEqual([]);
  });

  browserTest('every source it adds is needed: taking any one away makes the check report a violation', async () => {
    const { files, report } = await processFiles(cspStep(), await buildFiles(lab.server));
    const needed = [
      ...new Map(
        report.sources.filter((s) => s.directive !== 'default-src').map((s) => [`${s.directive} ${s.source}`, s]),
      ).values(),
    ];
    expect(needed.length).toBeGreaterThanOrEqual(8);
    const without = ({ directive, source }: { directive: string; source: string }) =>
      report.policy
        .split('; ')
        .map((d) =>
          d.startsWith(`${directive} `)
            ? d
                .split(' ')
                .filter((s) => s !== source)
                .join(' ')
            : d,
        )
        .filter((d) => d !== directive)
        .join('; ');
    // One boot tries every reduced policy at once: as report-only policies (a header), each is judged on its
    // own, its violations tagged with its text, while the full policy in the page is enforced.
    const reduced = needed.map(without);
    const problems = await violations(files, SCRIPTS_RAN, 2, {
      'Content-Security-Policy-Report-Only': reduced.join(', '),
    });
    const caught = new Set(problems.flatMap((p) => (p.kind === 'csp-violation' && p.reportOnly ? [p.policy] : [])));
    expect(needed.filter((_, n) => !caught.has(reduced[n])).map((s) => `${s.directive} ${s.source}`)).toEqual([]);
    expect(problems.every((p) => p.kind === 'csp-violation' && p.reportOnly)).toBe(true);
    // and enforced, as a page would have it: without the loading screen's style hash
    const loading = needed.find((s) => s.why === 'a <style> that __loading__.js inserts') as (typeof needed)[number];
    const enforced = (files.get('index.html') as Buffer).toString().replace(report.policy, without(loading));
    expect(await violations(new Map(files).set('index.html', Buffer.from(enforced)))).toContainEqual(
      expect.objectContaining({
        kind: 'csp-violation',
        directive: 'style-src-elem',
        blocked: 'inline',
        source: expect.stringMatching(/__loading__\.js/),
      }),
    );
  });
});
