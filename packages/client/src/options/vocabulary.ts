/** The environment variables every host reads. */
export const TOKEN_VARIABLE = 'PLAYCANVAS_API_KEY';
export const BASE_URL_VARIABLE = 'PLAYCANVAS_BASE_URL';
/** The Redis that shares the rate budget between processes (rateBudget.redis). */
export const RATE_REDIS_VARIABLE = 'PLAYCANVAS_RATE_REDIS';

/**
 * How the host a message is printed by names what the user can set: a gulpfile and a Gruntfile have options
 * (`engineVersion: '2.23.3'`), the CLI has flags (`--engine-version 2.23.3`). Every message that tells the
 * user to set something asks the host's vocabulary, so that no message names an option the host lacks.
 */
export interface Vocabulary {
  /** An option as the user writes it: `engineVersion`, `--engine-version`. */
  option(name: string): string;
  /** An option as a noun in a sentence: `the timeout option`, `--timeout`. */
  the(name: string): string;
  /** An option given a value, as the user writes it: `engineVersion: '2.23.3'`, `--engine-version 2.23.3`. */
  setting(name: string, value: string | boolean): string;
  /** Where the API token is given, as a noun: "the PLAYCANVAS_API_KEY environment variable or the token option". */
  readonly token: string;
}

const literal = (value: string | boolean) => (typeof value === 'string' ? `'${value}'` : String(value));

/** Options objects: the client's createClient(), the gulp plugin, the Grunt task. */
export const OPTION_WORDS: Vocabulary = Object.freeze({
  option: (name: string) => name,
  the: (name: string) => `the ${name} option`,
  setting: (name: string, value: string | boolean) => `${name}: ${literal(value)}`,
  token: `the ${TOKEN_VARIABLE} environment variable or the token option`,
});
