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
