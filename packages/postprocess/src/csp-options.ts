import { PostprocessError } from './build.js';
import { pathInBuild } from './paths.js';
import { checkSource } from './sources.js';

/** Extra sources by directive, for what the build reaches that the files do not show (an API, a font host...). */
const EXTRA_DIRECTIVES = {
  connect: 'connect-src',
  img: 'img-src',
  script: 'script-src',
  style: 'style-src',
  media: 'media-src',
  font: 'font-src',
  worker: 'worker-src',
  frame: 'frame-src',
} as const;

export interface CspOptions {
  /**
   * What boot scripts compute only at run time, which csp() cannot read without running them, and which you cover
   * by hand in the style or img option: `['styles']`, `['images']`. Without it csp() refuses such a build.
   */
  byHand?: Array<'styles' | 'images'>;
  /** Extra sources for connect-src (an API the game calls, a leaderboard...). */
  connect?: string[];
  img?: string[];
  script?: string[];
  style?: string[];
  media?: string[];
  font?: string[];
  worker?: string[];
  frame?: string[];
  /** Other directives, as they are: `{ 'frame-ancestors': ["'self'"], 'report-uri': ['/csp'] }`. */
  directives?: Record<string, string[]>;
  /** Put the policy in a `<meta http-equiv>` in index.html. Default true. */
  meta?: boolean;
  /**
   * Also write a headers file for static hosts (Netlify, Cloudflare Pages): true for `_headers`, or its path. Default
   * false.
   */
  headersFile?: boolean | string;
  /** More headers for the headers file, e.g. `{ 'X-Content-Type-Options': 'nosniff' }`. */
  headers?: Record<string, string>;
}

export interface ResolvedCspOptions {
  byHand: Set<'styles' | 'images'>;
  extra: Map<string, string[]>;
  meta: boolean;
  headersFile: string | undefined;
  headers: Record<string, string>;
}

/** Directives a browser ignores in a `<meta>` policy: they go in the headers file only. */
export const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

/** Restrictions that are not sources: present in every policy, outside the needed-source accounting. */
export const HARDENING: Array<[string, string]> = [
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

const KNOWN = [...Object.keys(EXTRA_DIRECTIVES), 'directives', 'meta', 'headersFile', 'headers', 'byHand'];

export function resolveCspOptions(input: unknown = {}): ResolvedCspOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError('csp() takes an options object, e.g. csp({ connect: ["https://api.example.com"] })');
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options))
    if (!KNOWN.includes(key))
      throw new PostprocessError(`csp option ${key} is unknown; the options are ${KNOWN.join(', ')}`);
  const extra = new Map<string, string[]>();
  const list = (value: unknown, option: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value))
      throw new PostprocessError(`csp option ${option} must be a list of sources, e.g. ["https://cdn.example.com"]`);
    return value.map((v) => checkSource(v, option));
  };
  for (const [key, directive] of Object.entries(EXTRA_DIRECTIVES)) {
    const sources = list(options[key], key);
    if (sources.length > 0) extra.set(directive, sources);
  }
  const directives = options.directives ?? {};
  if (typeof directives !== 'object' || directives === null || Array.isArray(directives))
    throw new PostprocessError('csp option directives must be an object of directive names to source lists');
  for (const [name, sources] of Object.entries(directives)) {
    if (!/^[a-z][a-z-]*$/.test(name))
      throw new PostprocessError(`csp option directives has ${JSON.stringify(name)}: not a directive name`);
    const checked =
      name === 'report-uri' || name === 'report-to' || name === 'sandbox'
        ? reportValues(sources, name)
        : list(sources, `directives['${name}']`);
    extra.set(name, [...(extra.get(name) ?? []), ...checked]);
  }
  const flag = (name: string, fallback: boolean) => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean')
      throw new PostprocessError(`csp option ${name} must be true or false; got ${String(value)}`);
    return value;
  };
  const headersFile = options.headersFile;
  if (headersFile !== undefined && typeof headersFile !== 'boolean' && typeof headersFile !== 'string')
    throw new PostprocessError('csp option headersFile must be true (for _headers), false, or a path in the build');
  const headers = options.headers ?? {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    throw new PostprocessError('csp option headers must be an object of header names to values');
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))
      throw new PostprocessError(`csp option headers has ${JSON.stringify(name)}: not a header name`);
    if (typeof value !== 'string' || /[\r\n]/.test(value))
      throw new PostprocessError(`csp option headers['${name}'] must be a one-line string`);
  }
  const byHand = options.byHand ?? [];
  if (!Array.isArray(byHand) || byHand.some((b) => b !== 'styles' && b !== 'images'))
    throw new PostprocessError(
      `csp option byHand must list what you cover by hand: ['styles'], ['images'] or both; ` +
        `got ${JSON.stringify(byHand)}`,
    );
  for (const [what, directive, option] of [
    ['styles', 'style-src', 'style'],
    ['images', 'img-src', 'img'],
  ] as const)
    if (byHand.includes(what) && !extra.has(directive))
      throw new PostprocessError(
        `csp option byHand: ['${what}'] says the ${option} option covers them, but it lists nothing: ` +
          'give their sources there',
      );
  const resolved: ResolvedCspOptions = {
    byHand: new Set(byHand),
    extra,
    meta: flag('meta', true),
    headersFile:
      headersFile === true
        ? '_headers'
        : typeof headersFile === 'string'
          ? pathInBuild(headersFile, 'csp option headersFile')
          : undefined,
    headers: headers as Record<string, string>,
  };
  if (!resolved.meta && resolved.headersFile === undefined)
    throw new PostprocessError(
      'csp options meta: false and no headersFile leave the policy nowhere: keep the meta, or set headersFile',
    );
  return resolved;
}

function reportValues(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || /[\s;,]/.test(v)))
    throw new PostprocessError(`csp option directives['${name}'] must be a list of values without spaces, ';' or ','`);
  return value as string[];
}
