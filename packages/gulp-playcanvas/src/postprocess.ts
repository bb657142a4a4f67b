import { isAbsolute, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import {
  type AssetPrefixOptions,
  assetPrefixStep,
  type BuildSource,
  type BuildStep,
  type CspOptions,
  type CspReport,
  cspStep,
  formatPlayableReport,
  formatSizeReport,
  type PlayableOptions,
  type PlayableReport,
  PostprocessError,
  playableStep,
  type SingleFileOptions,
  type SizeReport,
  type StampVersionOptions,
  singleFileStep,
  stampVersionStep,
} from '@gulp-playcanvas/playcanvas-postprocess';
import PluginError from 'plugin-error';
import { Transform } from 'streamx';
import Vinyl from 'vinyl';
import { log } from './log.js';
import { refusalOf } from './needs-files.js';
import { PLUGIN_NAME } from './plugin-error.js';

function failure(label: string, error: unknown): PluginError {
  if (error instanceof PluginError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const file = error instanceof PostprocessError ? error.file : undefined;
  // messages about options already start with the transform's name ("csp option ...", "assetPrefix() must ...")
  const named = err.message.startsWith(label.replace('()', ''));
  return new PluginError(PLUGIN_NAME, named ? err.message : `${label}: ${err.message}`, {
    showStack: false,
    ...(file !== undefined ? { fileName: file } : {}),
  });
}

const buildPath = (file: Vinyl) => file.relative.split('\\').join('/');

/** Same kind of contents as the file had: a buffer, or a stream of the bytes. */
function setContents(file: Vinyl, bytes: Buffer, streamed: boolean): void {
  file.contents = streamed ? Readable.from([bytes]) : bytes;
}

/**
 * A gulp transform around one post-processing step: the files the step needs are held until the stream ends;
 * every other file passes on at once, untouched (same object, same stat). Then the step runs, the held files go
 * on (changed where the step changed them, dropped where it removed them) and new files are added beside
 * index.html. A step that finds the build wrong fails the stream with a PluginError naming the file.
 */
function stepTransform<Report>(
  label: string,
  create: () => BuildStep<Report>,
  done: (report: Report) => void,
): NodeJS.ReadWriteStream {
  let step: BuildStep<Report>;
  try {
    step = create();
  } catch (error) {
    throw failure(label, error);
  }
  const held = new Map<string, Vinyl>();
  const read = new Map<string, Buffer>();
  const seen = new Set<string>();
  let streamed = false;
  const stream = new Transform({
    transform(chunk: unknown, callback: (error: Error | null, mapped?: unknown) => void) {
      const file = chunk as Vinyl;
      if (file.isNull() || file.isDirectory()) {
        callback(null, file);
        return;
      }
      const refused = refusalOf(file, label.replace('()', ''));
      if (refused) {
        callback(refused);
        return;
      }
      const path = buildPath(file);
      seen.add(path);
      if (file.isStream()) streamed = true;
      if (!step.needs(path)) {
        callback(null, file);
        return;
      }
      held.set(path, file);
      callback(null, undefined);
    },
    flush(callback: (error: Error | null) => void) {
      run().then(
        () => callback(null),
        (error: unknown) => callback(failure(label, error)),
      );
    },
  });

  async function contentsOf(path: string): Promise<Buffer> {
    const cached = read.get(path);
    if (cached) return cached;
    const file = held.get(path);
    if (!file) throw new PostprocessError(`The build has no ${path}`, path);
    const bytes = file.isBuffer() ? file.contents : await readAll(file.contents as NodeJS.ReadableStream);
    // a streamed file, once read, is handed on as a fresh stream of the same bytes
    if (file.isStream()) file.contents = Readable.from([bytes]);
    read.set(path, bytes);
    return bytes;
  }

  async function run(): Promise<void> {
    const source: BuildSource = { paths: seen, read: contentsOf };
    const result = await step.run(source);
    for (const note of result.notes) log.warn(`${PLUGIN_NAME}: ${label}: ${note}`);
    const anchor = held.get('index.html') ?? held.values().next().value;
    for (const [path, file] of held) {
      const change = result.changes.get(path);
      if (change === null) continue;
      if (change !== undefined) setContents(file, change, file.isStream());
      stream.push(file);
    }
    for (const [path, contents] of result.changes) {
      if (contents === null || held.has(path)) continue;
      if (seen.has(path)) throw new PostprocessError(`${step.name} changed ${path}, which it had let pass`, path);
      const base = anchor?.base ?? process.cwd();
      const target = join(base, ...path.split('/'));
      // gulp.dest writes a file at its path relative to base: a step's file must stay under it
      const under = relative(base, target);
      if (under === '' || under.startsWith('..') || isAbsolute(under))
        throw new PostprocessError(`${step.name} wanted to add ${path}, outside the build: nothing was written`, path);
      const added = new Vinyl({
        cwd: anchor?.cwd ?? process.cwd(),
        base,
        path: target,
        ...(anchor?.stat ? { stat: anchor.stat } : {}),
      });
      setContents(added, contents, streamed);
      stream.push(added);
    }
    done(result.report);
  }
  return stream as unknown as NodeJS.ReadWriteStream;
}

/**
 * A strict Content-Security-Policy derived from the build (hashes instead of 'unsafe-inline', WebAssembly and
 * worker allowances only where the build needs them), written into index.html and optionally a `_headers` file.
 */
export function csp(options: CspOptions = {}): NodeJS.ReadWriteStream {
  return stepTransform(
    'csp()',
    () => cspStep(options),
    (report: CspReport) => log.info(`${PLUGIN_NAME}: csp(): ${report.policy}`),
  );
}

/** One self-contained HTML file (engine, scripts, config, scenes and assets inside), as ad networks ask for. */
export function singleFile(options: SingleFileOptions = {}): NodeJS.ReadWriteStream {
  return stepTransform(
    'singleFile()',
    () => singleFileStep(options),
    (report: SizeReport) => log.info(`${PLUGIN_NAME}: ${formatSizeReport(report)}`),
  );
}

/**
 * The build as one ad network's playable (`network`: meta, google, applovin, unity, ironsource, mintegral, vungle,
 * tiktok, snapchat): the single HTML or the zip the network takes, within its budget; logs what the network gets.
 */
export function playable(options: PlayableOptions): NodeJS.ReadWriteStream {
  return stepTransform(
    'playable()',
    () => playableStep(options),
    (report: PlayableReport) => log.info(`${PLUGIN_NAME}: ${formatPlayableReport(report)}`),
  );
}

/** Points the build's asset and script prefixes at a CDN (the `__settings__.js` prefixes the Editor writes). */
export function assetPrefix(url: string, options: AssetPrefixOptions = {}): NodeJS.ReadWriteStream {
  return stepTransform(
    'assetPrefix()',
    () => assetPrefixStep(url, options),
    () => undefined,
  );
}

/** The version in a `<meta>` and a global, and `?v=` on the entry files index.html loads. */
export function stampVersion(version: string, options: StampVersionOptions = {}): NodeJS.ReadWriteStream {
  return stepTransform(
    'stampVersion()',
    () => stampVersionStep(version, options),
    () => undefined,
  );
}
