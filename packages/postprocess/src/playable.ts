import { readFileSync } from 'node:fs';
import { type BuildChanges, type BuildSource, type BuildStep, PostprocessError } from './build.js';
import { escapeAttribute, insertAtHeadStart } from './html.js';
import { NETWORK_NAMES, NETWORKS, type Network, type NetworkName } from './playable-networks.js';
import { formatSizeReport, type SizeReport, singleFileStep } from './single-file.js';
import { SOURCE_ATTRIBUTE } from './single-file-format.js';
import { zipFiles } from './zip.js';

export type { NetworkName } from './playable-networks.js';

export interface PlayableOptions {
  /** The ad network: meta, google, applovin, unity, ironsource, mintegral, vungle, tiktok, snapchat. */
  network: NetworkName;
  /**
   * Where the call-to-action leads where the network's call takes a URL (MRAID's open()): one URL, or one per
   * store.
   */
  storeUrl?: string | { ios: string; android: string };
  /** The orientations the ad plays in (Google's ad.orientation, TikTok's playable_orientation). Default 'both'. */
  orientation?: 'both' | 'portrait' | 'landscape';
  /** The upload's budget in bytes, instead of the network's. */
  maxBytes?: number;
  /** Gzip the engine and scripts, or an ES module build's one module (singleFile's compress). Default true. */
  compress?: boolean;
}

/**
 * How the host names a field of the playable options in messages: the CLI's `--max-bytes`, the Grunt task's
 * `playable.maxBytes`. Without it, messages say `playable option maxBytes` (and, in a sentence, `maxBytes`).
 */
export interface PlayableNames {
  /** A field (`maxBytes`, `storeUrl`, ...) as the user writes it. */
  name(field: string): string;
}

/** What the network will be given and what it is made of. */
export interface PlayableReport {
  network: NetworkName;
  title: string;
  /** The API the ad uses, in words. */
  api: string;
  /** The file to upload (the HTML or the zip), its bytes and the budget. */
  upload: { path: string; bytes: number; maxBytes: number };
  /** The files in the zip (or the one HTML), by path. */
  files: Array<{ path: string; bytes: number }>;
  /** The HTML by part: engine, scripts, each asset type; raw and as embedded. */
  sizes: SizeReport;
}

const KNOWN = ['network', 'storeUrl', 'orientation', 'maxBytes', 'compress'];
const ORIENTATIONS = {
  both: { google: 'portrait,landscape', tiktok: 0 },
  portrait: { google: 'portrait', tiktok: 1 },
  landscape: { google: 'landscape', tiktok: 2 },
};
const RUNTIME = new URL('../runtime/playable-runtime.js', import.meta.url);

interface Resolved {
  network: Network;
  storeUrl: PlayableOptions['storeUrl'];
  orientation: keyof typeof ORIENTATIONS;
  maxBytes: number;
  compress: boolean;
}

/** A field as the subject of a message (`playable option maxBytes`), and as a word in a sentence (`maxBytes`). */
interface Naming {
  subject(field: string): string;
  word(field: string): string;
}

function naming(names: PlayableNames | undefined): Naming {
  if (names) return { subject: (field) => names.name(field), word: (field) => names.name(field) };
  return { subject: (field) => `playable option ${field}`, word: (field) => field };
}

function resolve(input: unknown, named: Naming): Resolved {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError(
      `playable() takes an options object with a network, e.g. playable({ network: 'applovin', storeUrl: '...' })`,
    );
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options))
    if (!KNOWN.includes(key))
      throw new PostprocessError(`${named.subject(key)} is unknown; the options are ${KNOWN.join(', ')}`);
  const name = options.network;
  if (typeof name !== 'string' || !NETWORK_NAMES.includes(name as NetworkName))
    throw new PostprocessError(
      `${named.subject('network')} must be one of ${NETWORK_NAMES.join(', ')}; got ${String(name)}`,
    );
  const network = NETWORKS[name as NetworkName];
  const url = options.storeUrl;
  const isUrl = (value: unknown) => typeof value === 'string' && /^https:\/\/\S+$/.test(value);
  const storeUrl = (url === undefined ? network.defaultStoreUrl : url) as PlayableOptions['storeUrl'];
  if (
    url !== undefined &&
    !isUrl(url) &&
    !(
      typeof url === 'object' &&
      url !== null &&
      isUrl((url as { ios?: unknown }).ios) &&
      isUrl((url as { android?: unknown }).android)
    )
  )
    throw new PostprocessError(
      `${named.subject('storeUrl')} must be an https:// URL or { ios, android } of such URLs; ` +
        `got ${JSON.stringify(url)}`,
    );
  if (storeUrl === undefined && network.needsStoreUrl)
    throw new PostprocessError(
      `${named.subject('storeUrl')} is needed for ${name}: its call-to-action is mraid.open(<the store's URL>)`,
    );
  const orientation = options.orientation ?? 'both';
  if (typeof orientation !== 'string' || !(orientation in ORIENTATIONS))
    throw new PostprocessError(
      `${named.subject('orientation')} must be both, portrait or landscape; got ${String(orientation)}`,
    );
  const maxBytes = options.maxBytes ?? network.maxBytes;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes <= 0)
    throw new PostprocessError(
      `${named.subject('maxBytes')} must be a positive whole number of bytes (5 MB: 5242880); got ${String(maxBytes)}`,
    );
  if (options.compress !== undefined && typeof options.compress !== 'boolean')
    throw new PostprocessError(`${named.subject('compress')} must be true or false; got ${String(options.compress)}`);
  return {
    network,
    storeUrl,
    orientation: orientation as Resolved['orientation'],
    maxBytes,
    compress: options.compress !== false,
  };
}

/** The head the network wants: its orientation meta, the container's script, then the playable runtime. */
function playableHead(options: Resolved): string {
  const { network } = options;
  const config = { gate: network.gate, cta: network.cta, end: network.end, storeUrl: options.storeUrl };
  const configText = JSON.stringify(config).replace(/</g, '\\u003c');
  const runtime = `${readFileSync(RUNTIME, 'utf8')}installPlayable(${configText});\n`;
  const lines = [];
  if (network.name === 'google')
    lines.push(`<meta name="ad.orientation" content="${ORIENTATIONS[options.orientation].google}">`);
  if (network.headScript) lines.push(`<script src="${escapeAttribute(network.headScript)}"></script>`);
  lines.push(`<script ${SOURCE_ATTRIBUTE}="playable-runtime.js">${runtime}</script>`);
  return lines.join('\n');
}

/** The files the network is given, by path in the zip (or the one HTML). */
function networkFiles(options: Resolved, html: Buffer): Map<string, Buffer> {
  const files = new Map([[options.network.html, html]]);
  if (options.network.name === 'tiktok')
    files.set(
      'config.json',
      Buffer.from(`${JSON.stringify({ playable_orientation: ORIENTATIONS[options.orientation].tiktok })}\n`),
    );
  return files;
}

export function formatPlayableReport(report: PlayableReport): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  return [
    `${report.title}: ${report.upload.path}, ` +
      `${kb(report.upload.bytes)} of ${kb(report.upload.maxBytes)} (${report.api})`,
    ...report.files.map((f) => `  ${f.path} ${kb(f.bytes)}`),
    formatSizeReport(report.sizes),
  ].join('\n');
}

/**
 * The build as the network's playable: one HTML (singleFile()) with the network's scripts and the playable
 * runtime, or the zip the network takes; fails with the report when over the budget.
 */
export function playableStep(input: PlayableOptions, names?: PlayableNames): BuildStep<PlayableReport> {
  const named = naming(names);
  const options = resolve(input, named);
  const single = singleFileStep({ compress: options.compress }, { gzipFiles: options.compress });
  return {
    name: 'playable',
    needs: () => true,
    async run(build: BuildSource) {
      const made = await single.run(build);
      const html = made.changes.get('index.html');
      if (!html) throw new PostprocessError('singleFile() wrote no index.html');
      const head = playableHead(options);
      const page = Buffer.from(insertAtHeadStart(html.toString('utf8'), head));
      const sizes = withPart(made.report, 'playable runtime', page.length - html.length);
      const files = networkFiles(options, page);
      const { network } = options;
      const upload = network.zip
        ? { path: network.zip, bytes: await zipFiles(files) }
        : { path: network.html, bytes: page };
      const report: PlayableReport = {
        network: network.name,
        title: network.title,
        api: network.api,
        upload: { path: upload.path, bytes: upload.bytes.length, maxBytes: options.maxBytes },
        files: [...files].map(([path, bytes]) => ({ path, bytes: bytes.length })),
        sizes,
      };
      if (upload.bytes.length > options.maxBytes)
        throw new PostprocessError(overBudget(report, made.report, named), upload.path);
      const changes: BuildChanges = new Map();
      for (const path of build.paths) changes.set(path, null);
      changes.set(upload.path, upload.bytes);
      return { changes, notes: made.notes, report };
    },
  };
}

function withPart(report: SizeReport, part: string, bytes: number): SizeReport {
  const parts = [...report.parts, { part, files: 1, bytes, embeddedBytes: bytes }].sort(
    (a, b) => b.embeddedBytes - a.embeddedBytes,
  );
  return { ...report, total: report.total + bytes, parts };
}

function overBudget(report: PlayableReport, single: SizeReport, named: Naming): string {
  const code = single.parts.filter((p) => p.part === 'engine' || p.part === 'modules (one bundle)');
  const compressed = code.length > 0 && code.every((p) => p.embeddedBytes < p.bytes / 2);
  const hint = compressed
    ? 'the engine is already compressed; make the assets smaller (fewer, compressed textures, shorter audio) ' +
      `or raise ${named.word('maxBytes')} if the network allows more`
    : 'the engine is not compressed: leave compress on (the default), or make the assets smaller';
  const over =
    `The ${report.title} playable is ${report.upload.bytes} bytes, ` +
    `over the ${report.upload.maxBytes} allowed (${named.word('maxBytes')})`;
  return `${over}: ${hint}.\n${formatPlayableReport(report)}`;
}
