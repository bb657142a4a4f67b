import {
  type BuildOptions,
  EngineMismatchError,
  type ExportOptions,
  type Job,
  type Vocabulary,
} from '@gulp-playcanvas/playcanvas-rest-client';

export type JobRequest =
  | { kind: 'build'; options: Readonly<BuildOptions> }
  | { kind: 'export'; options: Readonly<ExportOptions> };

/**
 * What a finished job tells the user beyond its files: its own messages (read, cleaned of control characters and
 * cut, as for a failed job's, by jobFromApi) and whether it used the engine asked for.
 */
export function jobMessages(job: Job): string[] {
  return job.messages.filter((message) => message !== '').map((message) => `job ${job.id} says: ${message}`);
}

export interface EngineMismatch {
  requested: string;
  used: string;
}

/** The engine the job reports, when it is not the one `engineVersion` asked for. */
export function engineMismatch(request: JobRequest, used: string | undefined): EngineMismatch | undefined {
  if (request.kind !== 'build') return undefined;
  const requested = request.options.engineVersion;
  if (requested === undefined || used === undefined || used === requested) return undefined;
  return { requested, used };
}

/** The warning for a build made with another engine than asked for: names both, and how to refuse such builds. */
export function engineMismatchWarning(job: Job, { requested, used }: EngineMismatch, words: Vocabulary): string {
  const asTheJobSays = job.messages.length > 0 ? ', as the job says' : '';
  return (
    `job ${job.id} was built with engine ${used}, not the ${requested} asked for ` +
    `(${words.setting('engineVersion', requested)})${asTheJobSays}: give an engine version the API has, ` +
    `or set ${words.setting('requireEngineVersion', true)} to fail such builds`
  );
}

/** The same, when requireEngineVersion makes it a failure. */
export function engineMismatchError(
  job: Job,
  { requested, used }: EngineMismatch,
  words: Vocabulary,
): EngineMismatchError {
  const said = job.messages.length > 0 ? ` The job says: ${job.messages.join('; ')}.` : '';
  return new EngineMismatchError(
    `The API built job ${job.id} with engine ${used}, not the ${requested} asked for ` +
      `(${words.setting('engineVersion', requested)}), and ${words.option('requireEngineVersion')} is set: ` +
      `the build is refused, nothing was written.${said} Give an engine version the API has`,
    job.id,
    requested,
    used,
    job.messages,
  );
}
