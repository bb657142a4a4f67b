import { Readable } from 'node:stream';
import { ConfigError } from 'playcanvas-rest-client';
import PluginError from 'plugin-error';
import toThrough from 'to-through';
import { buildFiles, PLUGIN_NAME } from './build-files.js';
import { type PlayCanvasOptions, resolveOptions } from './options.js';

export type { BuildOptions, ExportOptions } from 'playcanvas-rest-client';
export type { PlayCanvasOptions, PluginOnlyOptions } from './options.js';
export { PLUGIN_NAME };

/** Client errors become PluginErrors that keep their fields (status, jobId, messages) and name the job. */
function toPluginError(error: unknown, jobId: number | undefined): PluginError {
  if (error instanceof PluginError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  if (jobId !== undefined && !err.message.includes(`job ${jobId}`)) err.message = `${err.message} (job ${jobId})`;
  return new PluginError(PLUGIN_NAME, err, { showStack: false });
}

/**
 * Builds a PlayCanvas project and gives the build as a stream of vinyl files, one per file of the build:
 * `playcanvas({ projectId, name, scenes }).pipe(gulp.dest('build'))`. Files piped in pass through first,
 * as with gulp.src. Invalid options throw a PluginError at once; every later failure fails the stream.
 */
export default function playcanvas(options: PlayCanvasOptions): NodeJS.ReadWriteStream {
  let resolved: ReturnType<typeof resolveOptions>;
  try {
    resolved = resolveOptions(options);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `Invalid options: ${(error as Error).message}`;
    throw new PluginError(PLUGIN_NAME, message, { showStack: false });
  }
  const controller = new AbortController();
  const signal = resolved.signal ? AbortSignal.any([controller.signal, resolved.signal]) : controller.signal;
  let jobId: number | undefined;
  async function* files() {
    try {
      yield* buildFiles(resolved, signal, (id) => {
        jobId = id;
      });
    } catch (error) {
      throw toPluginError(error, jobId);
    }
  }
  const source = Readable.from(files(), { objectMode: true, highWaterMark: 1 });
  // A consumer that goes away (or fails) stops the build, the wait or the download at once.
  source.once('close', () => controller.abort(new Error('the stream was closed')));
  return toThrough(source) as unknown as NodeJS.ReadWriteStream;
}
