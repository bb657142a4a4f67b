import { type PostProcessing, type PostStep, postSteps } from '@gulp-playcanvas/playcanvas-pipeline';
import type { PlayableOptions } from '@gulp-playcanvas/playcanvas-postprocess';
import { fail, type OptionSpec, type Schema, show } from '@gulp-playcanvas/playcanvas-rest-client';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** true, false or an options object; with `string`, a string too (the version, the prefix). */
function switchOrObject(example: string, string?: string): OptionSpec['type'] {
  return {
    kind: 'custom',
    check: (value, name) => {
      if (typeof value === 'boolean' || isPlainObject(value)) return;
      if (string !== undefined && typeof value === 'string' && value.trim() !== '') return;
      fail(
        name,
        `must be true, false${string ? `, ${string}` : ''} or an options object such as ${example}; got ${show(value)}`,
      );
    },
  };
}

/**
 * What runs on the written folder before it replaces `dest`, always in this order (the order the transforms
 * need: csp reads what the others wrote, the check boots the result). The steps themselves live in
 * playcanvas-postprocess and playcanvas-build-check; only their switches are declared here.
 */
export const POSTPROCESS_OPTIONS: Schema = {
  stampVersion: {
    type: switchOrObject("{ version: '1.4.2', cacheBust: false }", 'a version'),
    ts: 'boolean | string | (StampVersionOptions & { version?: string })',
    default: false,
    doc:
      'Stamp a version into the build: `<meta name="version">`, `window.BUILD_VERSION`, `?v=` on the files ' +
      '`index.html` loads. `true` stamps the `version` option; a string stamps that; an object takes `version`, ' +
      '`meta`, `global` and `cacheBust`.',
  },
  assetPrefix: {
    type: switchOrObject("{ url: 'https://cdn.example.com/game/', scriptPrefix: '…' }", 'a URL'),
    ts: 'false | string | (AssetPrefixOptions & { url: string })',
    default: false,
    doc:
      'Load scenes, assets and scripts from a CDN: its URL, or `{ url, scriptPrefix }`. ' +
      'The CDN must answer with `Access-Control-Allow-Origin`.',
  },
  singleFile: {
    type: switchOrObject('{ compress: true, maxBytes: 5242880 }'),
    ts: 'boolean | SingleFileOptions',
    default: false,
    doc:
      'Make one self-contained HTML file, as ad networks ask for: ' +
      '`true`, or `{ compress, maxBytes, output, keepFiles }`. The log shows its size by part.',
  },
  playable: {
    type: {
      kind: 'custom',
      check: (value, name) => {
        if (value === false || (typeof value === 'string' && value !== '') || isPlainObject(value)) return;
        fail(name, `must be a network's name or { network, storeUrl, orientation, maxBytes }; got ${show(value)}`);
      },
    },
    ts: 'false | NetworkName | PlayableOptions',
    default: false,
    doc:
      "Make the build an ad network's playable (instead of `singleFile`): the network (`meta`, `google`, " +
      '`applovin`, `unity`, `ironsource`, `mintegral`, `vungle`, `tiktok`, `snapchat`), or ' +
      "`{ network, storeUrl, orientation, maxBytes, compress }`. `dest` gets the network's HTML or zip; the log " +
      "shows its size by part; over the network's budget (or `maxBytes`) the target fails with that report. With " +
      "`check`, the playable boots under a stand-in for the network's container.",
  },
  csp: {
    type: switchOrObject("{ connect: ['https://api.example.com'], headersFile: true }"),
    ts: 'boolean | CspOptions',
    default: false,
    doc:
      'Add a strict Content-Security-Policy derived from the build (hashes, never `unsafe-inline`): `true`, or ' +
      '`{ connect, img, script, style, media, font, worker, frame, directives, meta, headersFile, headers }`. ' +
      'The log shows the policy.',
  },
  check: {
    type: switchOrObject('{ frames: 30, screenshot: "boot.png" }'),
    ts: 'boolean | CheckOptions',
    default: false,
    doc:
      'Boot the build in headless Chromium before it replaces `dest`: `true`, or ' +
      '`{ frames, timeout, until, viewport, page, screenshot, headers, ignore, allowBlank, browser }`. ' +
      'Console errors, exceptions, failed requests, CSP violations, no WebGL and a blank first frame fail the task.',
  },
};

function withoutKey(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = value;
  return rest;
}

function stampVersion(value: unknown, buildVersion: string | undefined): NonNullable<PostProcessing['stampVersion']> {
  const given = isPlainObject(value) ? value.version : typeof value === 'string' ? value : undefined;
  const version = given ?? buildVersion;
  if (version === undefined)
    fail(
      'stampVersion',
      "needs a version: give stampVersion: '1.4.2' or { version: '1.4.2' }, " +
        "or set the version option (the build's version)",
    );
  return { ...(isPlainObject(value) ? withoutKey(value, 'version') : {}), version: version as string };
}

function assetPrefix(value: unknown): NonNullable<PostProcessing['assetPrefix']> {
  if (value === true) fail('assetPrefix', "needs the CDN's URL: assetPrefix: 'https://cdn.example.com/game/'");
  const url = isPlainObject(value) ? value.url : value;
  if (url === undefined) fail('assetPrefix', "needs url: { url: 'https://cdn.example.com/game/' }");
  return { ...(isPlainObject(value) ? withoutKey(value, 'url') : {}), url: url as string };
}

/** The steps asked for, created (and so validated) now, in the order they run: the rules are the pipeline's. */
export function resolvePostSteps(options: Record<string, unknown>, buildVersion: string | undefined): PostStep[] {
  const on = (name: string) => options[name] !== undefined && options[name] !== false;
  const objectOf = (name: string) => (isPlainObject(options[name]) ? options[name] : {});
  const wanted: PostProcessing = {};
  if (on('stampVersion')) wanted.stampVersion = stampVersion(options.stampVersion, buildVersion);
  if (on('assetPrefix')) wanted.assetPrefix = assetPrefix(options.assetPrefix);
  if (on('singleFile')) wanted.singleFile = objectOf('singleFile');
  if (on('playable'))
    wanted.playable = (
      typeof options.playable === 'string' ? { network: options.playable } : options.playable
    ) as PlayableOptions;
  if (on('csp')) wanted.csp = objectOf('csp');
  return postSteps(wanted);
}
