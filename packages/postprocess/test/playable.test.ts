import { type Checker, type CheckResult, openChecker } from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import JSZip from 'jszip';
import { BROWSER, browserTest, buildFiles, EDITOR_LAYOUTS, layoutFixtures, startMock } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NetworkName, type PlayableOptions, playableStep, processFiles } from '../src/index.js';
import { QUICK, refusal } from './helpers.js';

/**
 * playable() for every network on the mock's classic and ES module layouts, each booted once in one browser under
 * the check's stand-in for the network's container. The "game": each build's first game script gets a tap
 * handler that calls the call-to-action (the classic one by the app event, the ES module one by the function).
 */
const STORE = 'https://apps.example.com/gallery';
const LAYOUTS = ['classic', 'esm'] as const;
/** What the stand-in must record for one tap, by network. */
const CTA: Record<NetworkName, { call: string; args: unknown[] }> = {
  meta: { call: 'FbPlayableAd.onCTAClick', args: [] },
  google: { call: 'ExitApi.exit', args: [] },
  applovin: { call: 'mraid.open', args: [STORE] },
  unity: { call: 'mraid.open', args: [STORE] },
  ironsource: { call: 'mraid.openStoreUrl', args: [] },
  mintegral: { call: 'install', args: [] },
  vungle: { call: 'postMessage:download', args: ['download'] },
  tiktok: { call: 'openAppStore', args: [] },
  snapchat: { call: 'mraid.open', args: ['{{ .ClickTrackingUrl }}'] },
};
const GATED: NetworkName[] = ['applovin', 'unity', 'ironsource', 'snapchat', 'mintegral'];

let server: MockServer;
let checker: Checker;
const builds = new Map<string, Map<string, Buffer>>();
beforeAll(async () => {
  server = await startMock({ fixtures: layoutFixtures(), pollsToComplete: 1 });
  for (const name of LAYOUTS) {
    const layout = EDITOR_LAYOUTS.find((l) => l.name === name);
    builds.set(name, withTapCta(await buildFiles(server, layout?.body)));
  }
  if (BROWSER) checker = await openChecker();
}, 120_000);
afterAll(async () => {
  await checker?.close();
  await server?.close();
});

/** The first game script in the build gets a tap handler that calls the playable's call-to-action. */
function withTapCta(build: Map<string, Buffer>): Map<string, Buffer> {
  type Asset = { type: string; file?: { url: string }; data?: { scripts?: object } };
  const config = JSON.parse(build.get('config.json')?.toString() ?? '{}') as { assets: Record<string, Asset> };
  const script = Object.values(config.assets)
    .map((a) =>
      a.type === 'script' && Object.keys(a.data?.scripts ?? {}).length > 0
        ? a.file?.url.split('?')[0]?.replace(/^\.\//, '')
        : undefined,
    )
    .find((path) => path !== undefined && build.has(path)) as string;
  const handler = /^\s*(import|export)\b/m.test(build.get(script)?.toString() ?? '')
    ? "\nwindow.addEventListener('pointerdown', () => window.playableCTA());\n"
    : "\nwindow.addEventListener('pointerdown', function () {\n" +
      "  pc.Application.getApplication().fire('playable:cta');\n});\n";
  return new Map(build).set(script, Buffer.concat([build.get(script) as Buffer, Buffer.from(handler)]));
}

/** The files the network is given: the zip's contents, or the one HTML. */
async function uploaded(files: Map<string, Buffer>): Promise<Map<string, Buffer>> {
  const [path, bytes] = [...files][0] as [string, Buffer];
  if (!path.endsWith('.zip')) return files;
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Buffer>();
  for (const entry of Object.values(zip.files)) if (!entry.dir) out.set(entry.name, await entry.async('nodebuffer'));
  return out;
}

const options = (network: NetworkName): PlayableOptions => ({
  network,
  ...(['applovin', 'unity'].includes(network) ? { storeUrl: STORE } : {}),
});

describe.each(Object.keys(CTA) as NetworkName[])('playable({ network: %s })', (network) => {
  for (const layout of LAYOUTS)
    browserTest(
      `${layout}: held until the container shows it, the tap's CTA is the network's call, no request, within budget`,
      async () => {
        const { files, report } = await processFiles(
          playableStep(options(network)),
          builds.get(layout) as Map<string, Buffer>,
        );
        expect([...files.keys()]).toEqual([report.upload.path]);
        expect(report.upload.bytes).toBeLessThanOrEqual(report.upload.maxBytes);
        const given = await uploaded(files);
        expect([...given.keys()]).toEqual(report.files.map((f) => f.path));
        const page = report.files[0]?.path as string;
        const result: CheckResult = await checker.check(given, { ...QUICK, page, playable: network });
        const record = result.playable;
        expect(record?.heldUntilShown).toBe(GATED.includes(network) ? true : undefined);
        expect(record?.tapCalls).toEqual([CTA[network]]);
        expect(record?.violations).toEqual([]);
        if (network === 'mintegral') expect(record?.calls[0]?.call).toBe('gameReady');
        if (record?.volumeBeforeTap !== undefined)
          expect([record.volumeBeforeTap, record.volumeAfterTap]).toEqual([0, 1]);
        // the page itself, and the script the container serves (mraid.js, exitapi.js): nothing else
        const others = result.requests.filter(
          (r) =>
            !(
              /^(blob|data):/.test(r.url) ||
              new URL(r.url).pathname === `/${page}` ||
              /\/mraid\.js$|\/exitapi\.js$/.test(r.url)
            ),
        );
        expect(others.map((r) => r.url)).toEqual([]);
      },
    );
});

describe('playable() packaging and budget', () => {
  it('writes each network its files: the zip, config.json (TikTok), orientation meta, ExitApi (Google)', async () => {
    const build = builds.get('classic') as Map<string, Buffer>;
    const tiktok = await uploaded(
      (await processFiles(playableStep({ network: 'tiktok', orientation: 'portrait' }), build)).files,
    );
    expect(JSON.parse(tiktok.get('config.json')?.toString() ?? '')).toEqual({ playable_orientation: 1 });
    const google = await uploaded((await processFiles(playableStep({ network: 'google' }), build)).files);
    const html = google.get('index.html')?.toString() ?? '';
    expect(html).toContain('<meta name="ad.orientation" content="portrait,landscape">');
    expect(html).toContain(
      '<script src="https://tpc.googlesyndication.com/pagead/gadgets/html5/api/exitapi.js"></script>',
    );
    const vungle = await processFiles(playableStep({ network: 'vungle' }), build);
    expect([...vungle.files.keys()]).toEqual(['ad.html']);
    expect(vungle.files.get('ad.html')?.toString()).not.toContain('mraid.js');
  });

  it.each([
    ['classic', 'engine'],
    ['esm', 'modules (one bundle)'],
  ])('%s: fails over budget with the size report per part, raw and embedded', async (layout, code) => {
    const message = await refusal(() =>
      processFiles(
        playableStep({ network: 'applovin', storeUrl: STORE, maxBytes: 300_000 }),
        builds.get(layout) as Map<string, Buffer>,
      ),
    );
    expect(message).toMatch(
      /^The AppLovin playable is \d+ bytes, over the 300000 allowed \(maxBytes\): the engine is already compressed/,
    );
    for (const part of [code, 'texture assets', 'playable runtime']) expect(message).toContain(part);
    // the engine's code is gzipped: embedded in well under half its bytes
    const row = message.split('\n').find((line) => line.trim().startsWith(code)) ?? '';
    const [raw, embedded] = [...row.matchAll(/([\d.]+) KB/g)].map((m) => Number(m[1]));
    expect(embedded).toBeLessThan((raw as number) / 2);
  });

  it('without compress, the engine is embedded as it is and the hint says compress', async () => {
    const message = await refusal(() =>
      processFiles(playableStep({ network: 'meta', compress: false }), builds.get('esm') as Map<string, Buffer>),
    );
    expect(message).toMatch(/over the 2097152 allowed \(maxBytes\): the engine is not compressed: leave compress on/);
  });

  it('refuses a missing network, an unknown one, an MRAID network without a store URL, naming the fix', async () => {
    expect(await refusal(() => playableStep({} as PlayableOptions))).toMatch(
      /^playable option network must be one of meta, google, applovin/,
    );
    expect(await refusal(() => playableStep({ network: 'myspace' as NetworkName }))).toContain('got myspace');
    expect(await refusal(() => playableStep({ network: 'unity' }))).toBe(
      "playable option storeUrl is needed for unity: its call-to-action is mraid.open(<the store's URL>)",
    );
    expect(await refusal(() => playableStep({ network: 'unity', storeUrl: 'http://x' }))).toContain('https:// URL');
  });

  it("names its fields as the host says them, given names (the CLI's flags, Grunt's playable.<field>)", async () => {
    const flags = { name: (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` };
    expect(await refusal(() => playableStep({ network: 'unity' }, flags))).toBe(
      "--store-url is needed for unity: its call-to-action is mraid.open(<the store's URL>)",
    );
    expect(await refusal(() => playableStep({ network: 'meta', maxBytes: -1 }, flags))).toMatch(/^--max-bytes must be/);
    const message = await refusal(() =>
      processFiles(
        playableStep({ network: 'applovin', storeUrl: STORE, maxBytes: 300_000 }, flags),
        builds.get('esm') as Map<string, Buffer>,
      ),
    );
    expect(message).toMatch(
      /over the 300000 allowed \(--max-bytes\): the engine is already compressed; .* raise --max-bytes/,
    );
    expect(message).not.toMatch(/\bmaxBytes\b/);
  });
});
