import { Readable } from 'node:stream';
import PluginError from 'plugin-error';
import toThrough from 'to-through';
import { buildFiles } from './build-files.js';
import type { PlayCanvasOptions } from './options.generated.js';
import { type ResolvedOptions, resolvePluginOptions } from './options.js';
import { OutputGuard } from './output-guard.js';
import { PLUGIN_NAME, toPluginError } from './plugin-error.js';

export type {
  AssetPrefixOptions,
  CspOptions,
  PlayableOptions,
  PlayableReport,
  SingleFileOptions,
  SizeReport,
  StampVersionOptions,
} from '@gulp-playcanvas/playcanvas-postprocess';

import type { BuildMetadata } from '@gulp-playcanvas/playcanvas-pipeline';
import type Vinyl from 'vinyl';

export type { BuildMetadata } from '@gulp-playcanvas/playcanvas-pipeline';
export type { BuildOptions, ExportOptions } from '@gulp-playcanvas/playcanvas-rest-client';

/**
 * A file of the build as playcanvas() emits it: `file.playcanvas` says what was built, from which job, checkpoint and
 * engine.
 */
export type PlayCanvasFile = Vinyl & { playcanvas: BuildMetadata };
export { check } from './check.js';
export type { PlayCanvasOptions, PluginOnlyOptions } from './options.generated.js';
export { assetPrefix, csp, playable, singleFile, stampVersion } from './postprocess.js';
export { PLUGIN_NAME };

/**
 * Builds a PlayCanvas project and gives the build as a stream of vinyl files, one per file of the build:
 * `playcanvas({ projectId, name, scenes }).pipe(gulp.dest('build'))`. Files piped in pass through first,
 * as with gulp.src. Invalid options throw a PluginError at once; every later failure fails the stream.
 */
export default function playcanvas(options: PlayCanvasOptions): NodeJS.ReadWriteStream {
  let resolved: ResolvedOptions;
  try {
    resolved = resolvePluginOptions(options);
  } catch (error) {
    throw new PluginError(PLUGIN_NAME, (error as Error).message, { showStack: false });
  }
  const controller = new AbortController();
  const signal = resolved.signal ? AbortSignal.any([controller.signal, resolved.signal]) : controller.signal;
  const guard = new OutputGuard();
  guard.watchSignals();
  let jobId: number | undefined;
  async function* files() {
    try {
      yield* buildFiles(resolved, signal, guard, (id) => {
        jobId = id;
      });
    } catch (error) {
      throw toPluginError(error, jobId);
    }
  }
  const source = Readable.from(files(), { objectMode: true, highWaterMark: 1 });
  const stop = () => controller.abort(new Error('the stream was closed'));
  // Destroyed (a consumer failed), the source closes only once the build next yields: while it waits (for the
  // rest of the download, say) that could be minutes, and files opened ahead would hold the archive. Stop now.
  const closeBuild = source._destroy.bind(source);
  source._destroy = (error, callback) => {
    stop();
    closeBuild(error, callback);
  };
  source.once('close', () => {
    // A consumer that goes away (or fails) stops the build, the wait or the download at once...
    stop();
    // ...and a file it had begun writing is not left behind truncated.
    if (source.errored || !source.readableEnded) guard.sweep();
    guard.releaseWhenSettled();
  });
  return toThrough(source) as unknown as NodeJS.ReadWriteStream;
}
