import {
  type BuildStep,
  formatPlayableReport,
  NETWORK_NAMES,
  type NetworkName,
  type PlayableOptions,
  type PlayableReport,
  PostprocessError,
  playableStep,
} from '@gulp-playcanvas/playcanvas-postprocess';
import { ConfigError, closest, type Vocabulary } from '@gulp-playcanvas/playcanvas-rest-client';

/**
 * The playable step, its messages in the host's words: the step says `playable option maxBytes`, the CLI's user
 * typed `--max-bytes` and the Gruntfile's author `playable.maxBytes`. A field is named as `playable.<field>`.
 */
export function playablePostStep(
  options: PlayableOptions,
  words: Vocabulary,
): { step: BuildStep<unknown>; report(report: unknown): string } {
  const field = (name: string) => words.option(`playable.${name}`);
  const inWords = (message: string) =>
    message.replace(/\bplayable option (\w+)|\b(maxBytes|storeUrl)\b/g, (_m, a?: string, b?: string) =>
      field((a ?? b) as string),
    );
  const network = (options as { network?: unknown }).network;
  if (typeof network === 'string' && !NETWORK_NAMES.includes(network as NetworkName)) {
    const near = closest(network, NETWORK_NAMES);
    throw new ConfigError(
      `${field('network')} must be one of ${NETWORK_NAMES.join(', ')}; got ${network}` +
        (near ? `: did you mean ${near}?` : ''),
      'playable',
    );
  }
  let step: BuildStep<PlayableReport>;
  try {
    step = playableStep(options);
  } catch (error) {
    throw new ConfigError(inWords((error as Error).message), 'playable');
  }
  return {
    step: {
      name: step.name,
      needs: (path) => step.needs(path),
      run: (build) =>
        step.run(build).catch((error: unknown) => {
          if (error instanceof PostprocessError) throw new PostprocessError(inWords(error.message), error.file);
          throw error;
        }),
    },
    report: (report) => formatPlayableReport(report as PlayableReport),
  };
}
