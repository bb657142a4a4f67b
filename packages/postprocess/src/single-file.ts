import { type BuildChanges, type BuildSource, type BuildStep, PostprocessError } from './build.js';
import { INDEX_FILE } from './csp.js';
import { elementsOf, isExecutable } from './html.js';
import { SETTINGS_FILE } from './settings.js';
import { makeClassicSingleFile } from './single-file-classic.js';
import { makeModuleSingleFile } from './single-file-esm.js';
import type { SizeReport } from './single-file-parts.js';

export type { SizeReport } from './single-file-parts.js';

export interface SingleFileOptions {
  /** The HTML file to write, as a path in the build. Default 'index.html'. */
  output?: string;
  /**
   * Gzip the engine and boot scripts (classic builds) or the one module (ES module builds) and the large text
   * files, unpacked in the page (DecompressionStream: Chrome 80, Safari 16.4, Firefox 113); about 2 MB smaller.
   * Default false.
   */
  compress?: boolean;
  /** Fail, with the size report, when the HTML is larger than this many bytes (ad networks: often 5 MB, 5242880). */
  maxBytes?: number;
  /** Keep the build's other files next to the single HTML. Default false: the HTML alone. */
  keepFiles?: boolean;
}

export interface ResolvedSingleFileOptions {
  output: string;
  compress: boolean;
  maxBytes: number | undefined;
  keepFiles: boolean;
  /** Gzip the large text files the page fetches (config, scenes), in every layout: playable() asks for it. */
  gzipFiles?: boolean;
}

export function resolveSingleFileOptions(input: unknown = {}): ResolvedSingleFileOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError('singleFile() takes an options object, e.g. singleFile({ maxBytes: 5 * 1024 * 1024 })');
  const options = input as Record<string, unknown>;
  const known = ['output', 'compress', 'maxBytes', 'keepFiles'];
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new PostprocessError(`singleFile option ${key} is unknown; the options are ${known.join(', ')}`);
  const flag = (name: string) => {
    const value = options[name];
    if (value !== undefined && typeof value !== 'boolean')
      throw new PostprocessError(`singleFile option ${name} must be true or false; got ${String(value)}`);
    return value === true;
  };
  const output = options.output ?? INDEX_FILE;
  if (typeof output !== 'string' || !/^[^/\\][^\\]*\.html?$/i.test(output) || output.split('/').includes('..'))
    throw new PostprocessError(
      `singleFile option output must be a path in the build ending in .html; got ${String(output)}`,
    );
  const maxBytes = options.maxBytes;
  if (maxBytes !== undefined && (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes <= 0))
    throw new PostprocessError(
      `singleFile option maxBytes must be a positive whole number of bytes (5 MB: 5242880); got ${String(maxBytes)}`,
    );
  return { output, compress: flag('compress'), maxBytes, keepFiles: flag('keepFiles') };
}

export function formatSizeReport(report: SizeReport): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const rows = report.parts.map(
    (p) =>
      `  ${p.part.padEnd(20)} ${String(p.files).padStart(4)} file${p.files === 1 ? ' ' : 's'} ` +
      `${kb(p.bytes).padStart(11)} → ${kb(p.embeddedBytes).padStart(11)}`,
  );
  return [`single file: ${kb(report.total)}`, ...rows].join('\n');
}

export function singleFileStep(
  input: SingleFileOptions = {},
  internal: { gzipFiles?: boolean } = {},
): BuildStep<SizeReport> {
  const options = { ...resolveSingleFileOptions(input), ...internal };
  return {
    name: 'singleFile',
    needs: () => true,
    async run(build) {
      return makeSingleFile(build, options);
    },
  };
}

/** A page the single file is made of: the HTML, with what it is made of by part. */
export interface SingleFilePage {
  html: string;
  sizes: { report(page: Buffer): SizeReport };
}

/**
 * Classic builds (`__settings__.js` and `<script src>`s) keep their scripts as inline scripts; ES module builds
 * (`<script type="module">` entries, `js/index.mjs`) become one module bundled from the build's files.
 */
async function makeSingleFile(
  build: BuildSource,
  options: ResolvedSingleFileOptions,
): Promise<{ changes: BuildChanges; notes: string[]; report: SizeReport }> {
  const notes: string[] = [];
  const html = (await build.read(INDEX_FILE).catch(() => undefined))?.toString('utf8');
  const modules =
    html !== undefined &&
    !build.paths.has(SETTINGS_FILE) &&
    elementsOf(html, 'script').some(
      (t) => isExecutable(t) && (t.attributes.type ?? '').trim().toLowerCase() === 'module',
    );
  const page = modules
    ? await makeModuleSingleFile(build, options, notes)
    : await makeClassicSingleFile(build, options, notes);
  const bytes = Buffer.from(page.html);
  const report = page.sizes.report(bytes);
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes)
    throw new PostprocessError(
      `The single file is ${bytes.length} bytes, over the ${options.maxBytes} allowed (maxBytes)` +
        `${options.compress ? '' : '; compress: true makes the engine about 2 MB smaller'}:\n` +
        formatSizeReport(report),
      options.output,
    );
  const changes: BuildChanges = new Map();
  if (!options.keepFiles) for (const path of build.paths) changes.set(path, null);
  changes.set(options.output, bytes);
  return { changes, notes, report };
}
