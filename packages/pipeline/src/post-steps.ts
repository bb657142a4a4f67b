import {
  type AssetPrefixOptions,
  assetPrefixStep,
  type BuildStep,
  type CspOptions,
  type CspReport,
  cspStep,
  formatSizeReport,
  type SingleFileOptions,
  type SizeReport,
  type StampVersionOptions,
  singleFileStep,
  stampVersionStep,
} from '@gulp-playcanvas/playcanvas-postprocess';
import { ConfigError, OPTION_WORDS, type Vocabulary } from '@gulp-playcanvas/playcanvas-rest-client';

/**
 * The post-processing a host's options ask for, once the host has read them in its own way (the CLI's flags,
 * the Grunt task's options): a key that is present means the step runs.
 */
export interface PostProcessing {
  stampVersion?: StampVersionOptions & { version: string };
  assetPrefix?: AssetPrefixOptions & { url: string };
  singleFile?: SingleFileOptions;
  csp?: CspOptions;
}

/** A post-processing step, and how its report reads in the log. */
export interface PostStep {
  /** The step's option name, as an options object spells it: `stampVersion`, `assetPrefix`, `singleFile`, `csp`. */
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

/**
 * The steps asked for, created (and so validated) before anything is built, in the order they must run: the
 * version stamp and the CDN prefix rewrite the files the single file then inlines, and the CSP hashes what
 * the others wrote. The rules between them live here, so every host refuses the same things.
 */
export function postSteps(wanted: PostProcessing, words: Vocabulary = OPTION_WORDS): PostStep[] {
  if (wanted.singleFile !== undefined && wanted.assetPrefix !== undefined)
    throw new ConfigError(
      `${words.option('singleFile')} and ${words.option('assetPrefix')} do not go together:` +
        ' a single file loads nothing from elsewhere (leave out one of them)',
      'singleFile',
    );
  const steps: PostStep[] = [];
  const { stampVersion, assetPrefix, singleFile, csp } = wanted;
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
  if (csp !== undefined)
    steps.push({
      name: 'csp',
      step: create('csp', words, () => cspStep(csp) as BuildStep<unknown>),
      report: (report) => `csp: ${(report as CspReport).policy}`,
    });
  return steps;
}
