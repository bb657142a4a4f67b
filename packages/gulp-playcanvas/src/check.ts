import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Problem } from '@gulp-playcanvas/playcanvas-build-check';
import {
  type CheckOptions,
  type ResolvedCheckOptions,
  resolveCheckOptions,
} from '@gulp-playcanvas/playcanvas-build-check/options';
import { makeTempDir } from '@gulp-playcanvas/playcanvas-rest-client';
import PluginError from 'plugin-error';
import { Transform } from 'streamx';
import type Vinyl from 'vinyl';
import { log } from './log.js';
import { refusalOf } from './needs-files.js';
import { PLUGIN_NAME, withReadableDetails } from './plugin-error.js';

/**
 * Collects the build passing through, boots it in headless Chromium when the stream ends (playcanvas-build-check),
 * then passes every file on, or fails the stream with a PluginError that lists what broke. Buffered files are
 * served from memory; streamed ones are spooled to a private temp folder (and handed on as streams of it).
 */
export function check(options: CheckOptions = {}): NodeJS.ReadWriteStream {
  let resolved: ResolvedCheckOptions;
  try {
    resolved = resolveCheckOptions(options);
  } catch (error) {
    throw new PluginError(PLUGIN_NAME, `check(): ${(error as Error).message}`, { showStack: false });
  }
  const files: Vinyl[] = [];
  // A streamx transform, as gulp's own streams are: piped with .pipe(), its failure still reaches gulp.dest (and so
  // gulp).
  const stream = new Transform({
    transform(file: unknown, callback: (error: Error | null, mapped: unknown) => void) {
      const refused = refusalOf(file as Vinyl, 'check');
      if (refused) {
        callback(refused, undefined);
        return;
      }
      files.push(file as Vinyl);
      callback(null, undefined);
    },
    flush(callback: (error: Error | null) => void) {
      run(files, resolved).then(
        () => {
          for (const file of files) stream.push(file);
          callback(null);
        },
        (error: Error) =>
          callback(error instanceof PluginError ? error : new PluginError(PLUGIN_NAME, error, { showStack: false })),
      );
    },
  });
  return stream as unknown as NodeJS.ReadWriteStream;
}

async function run(files: Vinyl[], options: ResolvedCheckOptions): Promise<void> {
  const served = new Map<string, Buffer | { path: string }>();
  const streamed = files.filter((f) => f.isStream());
  const temp = streamed.length > 0 ? await makeTempDir((await import('node:os')).tmpdir()) : undefined;
  let pending = streamed.length;
  const released = () => {
    pending -= 1;
    if (pending === 0) void temp?.remove();
  };
  try {
    for (const [index, file] of files.entries()) {
      const name = file.relative.split('\\').join('/');
      if (file.isBuffer()) served.set(name, file.contents);
      else if (file.isStream() && temp) {
        const path = join(temp.dir, String(index));
        await pipeline(file.contents, createWriteStream(path));
        served.set(name, { path });
        // handed on unchanged: the same bytes, read back from the spool, which goes once every copy is read
        const copy = createReadStream(path);
        copy.once('close', released);
        file.contents = copy;
      }
    }
    if (!served.has(options.page)) {
      const some = [...served.keys()].slice(0, 5).join(', ') || 'none';
      throw new PluginError(
        PLUGIN_NAME,
        `check() found no ${options.page} among the ${files.length} files it was given ` +
          `(${some}${served.size > 5 ? ', …' : ''}): it boots an extracted static build; ` +
          `use playcanvas() with extract: true and format 'static'`,
        { showStack: false },
      );
    }
    const { checkBuild, BuildCheckError, describeBoot, describeProblem } = await import(
      '@gulp-playcanvas/playcanvas-build-check'
    );
    try {
      const result = await checkBuild(served, options);
      log.info(`${PLUGIN_NAME}: check: the build ${describeBoot(result)}`);
    } catch (error) {
      if (!(error instanceof BuildCheckError)) throw error;
      const failure = new PluginError(PLUGIN_NAME, error.message, { showStack: false });
      Object.assign(failure, { code: error.code, problems: error.problems });
      throw withReadableDetails(failure, (problem) => describeProblem(problem as Problem));
    }
  } catch (error) {
    await temp?.remove();
    throw error;
  }
}
