import {
  type AssetPrefixOptions,
  assetPrefixStep,
  type BuildStep,
  type CspOptions,
  type CspReport,
  cspStep,
  formatSizeReport,
  type PlayableOptions,
  type SingleFileOptions,
  type SizeReport,
  type StampVersionOptions,
  singleFileStep,
  stampVersionStep,
} from '@gulp-playcanvas/playcanvas-postprocess';
import { ConfigError, OPTION_WORDS, type Vocabulary } from '@gulp-playcanvas/playcanvas-rest-client';
import { playablePostStep } from './playable-step.js';

/**
 * The post-processing a host's options ask for, once the host has read them in its own way (the CLI's flags,
 * the Grunt task's options): a key that is present means the step runs.
 */
export interface PostProcessing {
  stampVersion?: StampVersionOptions & { version: string };
  assetPrefix?: AssetPrefixOptions & { url: string };
  singleFile?: SingleFileOptions;
  /** One ad network's playable: the single file (or the network's zip) made by the playable step itself. */
  playable?: PlayableOptions;
  csp?: CspOptions;
}

/** A post-processing step, and how its report reads in the log. */
export interface PostStep {
  /** The step's option name, as an options object spells it: `stampVersion`, `assetPrefix`, `singleFile`, `playable`,
   * `csp`. */
  readonly name: keyof PostProcessing;
  readonly step: BuildStep<unknown>;
  report(report: unknown): string;
}

/** The step's own validation, its message naming the option in the host's words. */
function create(name: keyof PostProcessing, words: Vocabulary, make: () => BuildStep<unknown>): BuildStep<unknown> {
  try {
    return make();
  } catch (error) {
    const message = (error as Error).message;
    const named = message.toLowerCase().startsWith(name.toLowerCase());
    throw new ConfigError(named ? message : `${words.option(name)}: ${message}`, name);
  }
}

/** Steps that cannot run on the same build, and why: each pair is refused in the host's words. */
const APART: Array<[keyof PostProcessing, keyof PostProcessing, string]> = [
  ['singleFile', 'assetPrefix', 'a single file loads nothing from elsewhere'],
  ['playable', 'singleFile', 'a playable is a single file already, made by the playable step with its own settings'],
  ['playable', 'assetPrefix', "a playable loads nothing from elsewhere: the networks refuse an ad's requests"],
  [
    'playable',
    'csp',
    "a playable runs in the network's container, which loads its own scripts (mraid.js, exitapi.js) and sets " +
      'its own policy',
  ],
];

function refuseTogether(wanted: PostProcessing, words: Vocabulary): void {
  for (const [one, other, why] of APART)
    if (wanted[one] !== undefined && wanted[other] !== undefined)
      throw new ConfigError(
        `${words.option(one)} and ${words.option(other)} do not go together: ${why} (leave out one of them)`,
        one,
      );
}

/** What a job hands on to post-processing: a build or an export, its format, and its files or the zip as it is. */
export interface JobOutput {
  /** A build (an app) or an export (a project archive). */
  kind: 'build' | 'export';
  /** 'static' or 'npm' for a build (undefined: the API's default, static). */
  format?: string | undefined;
  /** false when the archive is written (or emitted) as it is, not as its files. */
  extracted: boolean;
}

/** How a host says to leave an option out, when it differs from "leave out <option>". */
export interface LeaveOutWords {
  /** How to leave one out: the Grunt task's "set csp: false on this target if it comes from the task's options". */
  leaveOut?(option: string): string;
}

/**
 * Post-processing and the check need a static build's files: refused (in the host's words) with an export, the
 * zip as it is, or an npm project, before anything is built. `wanted` are the option names asked for, in order:
 * the steps (`csp`, `singleFile`, ...) and `check`.
 */
export function refuseWithoutFiles(
  output: JobOutput,
  wanted: readonly string[],
  words: Vocabulary & LeaveOutWords = OPTION_WORDS,
): void {
  const first = wanted[0];
  if (first === undefined) return;
  const [setting, why] =
    output.kind === 'export'
      ? [words.setting('export', true), 'a project archive, not a build']
      : !output.extracted
        ? [words.setting('extract', false), 'the zip is written as it is']
        : output.format === 'npm'
          ? [words.setting('format', 'npm'), 'a project to build with Vite, not a site']
          : [];
  if (setting === undefined) return;
  const leaveOut = words.leaveOut ? words.leaveOut(first) : `leave out ${words.option(first)}`;
  throw new ConfigError(
    `${words.the(first)} works on the static build written as files, so it ` +
      `cannot be used with ${setting} (${why}): ${leaveOut}` +
      (output.kind === 'export' ? '' : `, or leave out ${setting}`),
    first,
  );
}

/**
 * The steps asked for, created (and so validated) before anything is built, in the order they must run: the
 * version stamp and the CDN prefix rewrite the files the single file (or the playable) then inlines, and the
 * CSP hashes what the others wrote. The rules between them live here, so every host refuses the same things.
 */
export function postSteps(wanted: PostProcessing, words: Vocabulary = OPTION_WORDS): PostStep[] {
  refuseTogether(wanted, words);
  const steps: PostStep[] = [];
  const { stampVersion, assetPrefix, singleFile, playable, csp } = wanted;
  if (stampVersion !== undefined) {
    const { version, ...options } = stampVersion;
    steps.push({
      name: 'stampVersion',
      step: create('stampVersion', words, () => stampVersionStep(version, options)),
      report: () => `stampVersion: stamped ${version}`,
    });
  }
  if (assetPrefix !== undefined) {
    const { url, ...options } = assetPrefix;
    steps.push({
      name: 'assetPrefix',
      step: create('assetPrefix', words, () => assetPrefixStep(url, options)),
      report: () => `assetPrefix: assets and scripts from ${url}`,
    });
  }
  if (singleFile !== undefined)
    steps.push({
      name: 'singleFile',
      step: create('singleFile', words, () => singleFileStep(singleFile) as BuildStep<unknown>),
      report: (report) => formatSizeReport(report as SizeReport),
    });
  if (playable !== undefined) steps.push({ name: 'playable', ...playablePostStep(playable, words) });
  if (csp !== undefined)
    steps.push({
      name: 'csp',
      step: create('csp', words, () => cspStep(csp) as BuildStep<unknown>),
      report: (report) => `csp: ${(report as CspReport).policy}`,
    });
  return steps;
}
