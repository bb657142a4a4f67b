import { type BuildMetadata, refuseWithoutFiles } from '@gulp-playcanvas/playcanvas-pipeline';
import { OPTION_WORDS, type Vocabulary } from '@gulp-playcanvas/playcanvas-rest-client';
import PluginError from 'plugin-error';
import type Vinyl from 'vinyl';
import { PLUGIN_NAME } from './plugin-error.js';

/** The archives playcanvas() emitted whole (extract: false), not as the build's files. */
export const wholeArchives = new WeakSet<Vinyl>();

/** The transforms' messages name the transform as it is called (`csp()`) and playcanvas()'s options as written. */
const TRANSFORM_WORDS: Vocabulary = {
  ...OPTION_WORDS,
  option: (name: string) => `${name}()`,
  the: (name: string) => `${name}()`,
};

/**
 * A transform that needs a static build's files (`csp`, `check`, ...) refuses a file playcanvas() made of an
 * export, of the zip emitted whole or of an npm project, saying which option of playcanvas() to change: the same
 * rule the CLI and the Grunt task check before they build. Files that did not come from playcanvas() pass.
 */
export function refusalOf(file: Vinyl, transform: string): PluginError | undefined {
  const metadata = (file as Vinyl & { playcanvas?: BuildMetadata }).playcanvas;
  if (metadata === undefined) return undefined;
  const kind = metadata.format === 'export' ? 'export' : 'build';
  try {
    refuseWithoutFiles(
      { kind, format: metadata.format, extracted: !wholeArchives.has(file) },
      [transform],
      TRANSFORM_WORDS,
    );
    return undefined;
  } catch (error) {
    return new PluginError(PLUGIN_NAME, (error as Error).message, { showStack: false });
  }
}
