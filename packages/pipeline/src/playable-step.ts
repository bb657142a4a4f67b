import {
  type BuildStep,
  formatPlayableReport,
  NETWORK_NAMES,
  type NetworkName,
  type PlayableOptions,
  type PlayableReport,
  playableStep,
} from '@gulp-playcanvas/playcanvas-postprocess';
import { ConfigError, closest, type Vocabulary } from '@gulp-playcanvas/playcanvas-rest-client';

/**
 * The playable step, its messages in the host's words: the step names a field as the host says it, `--max-bytes`
 * for the CLI's user, `playable.maxBytes` for the Gruntfile's author (a field is named as `playable.<field>`).
 */
export function playablePostStep(
  options: PlayableOptions,
  words: Vocabulary,
): { step: BuildStep<unknown>; report(report: unknown): string } {
  const name = (field: string) => words.option(`playable.${field}`);
  const network = (options as { network?: unknown }).network;
  if (typeof network === 'string' && !NETWORK_NAMES.includes(network as NetworkName)) {
    const near = closest(network, NETWORK_NAMES);
    throw new ConfigError(
      `${name('network')} must be one of ${NETWORK_NAMES.join(', ')}; got ${network}` +
        (near ? `: did you mean ${near}?` : ''),
      'playable',
    );
  }
  let step: BuildStep<PlayableReport>;
  try {
    step = playableStep(options, { name });
  } catch (error) {
    throw new ConfigError((error as Error).message, 'playable');
  }
  return { step: step as BuildStep<unknown>, report: (report) => formatPlayableReport(report as PlayableReport) };
}
