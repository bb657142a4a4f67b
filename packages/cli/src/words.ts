import { TOKEN_VARIABLE, type Vocabulary } from '@gulp-playcanvas/playcanvas-rest-client';

import { type Flag, flagNameFor } from './flags.js';

/** Settings the CLI spells as a flag of their own: the archive written as it is is --zip, not --no-extract. */
const SETTING_FLAGS: Readonly<Record<string, string>> = { 'extract=false': '--zip' };

/**
 * The CLI's vocabulary: messages from the client, the pipeline and the check name its flags (`--engine-version
 * 2.23.3`), never the options of the gulp plugin, and the token by its environment variable alone.
 */
export function cliWords(flags: Flag[]): Vocabulary {
  const option = (name: string) => flagNameFor(name, flags);
  return {
    option,
    the: option,
    setting: (name, value) =>
      SETTING_FLAGS[`${name}=${value}`] ??
      (value === true ? option(name) : value === false ? `--no-${option(name).slice(2)}` : `${option(name)} ${value}`),
    token: `the ${TOKEN_VARIABLE} environment variable`,
  };
}
