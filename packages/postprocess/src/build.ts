/**
 * A build as a post-processing step sees it: every path (posix, relative to the build's root, as in the
 * PlayCanvas download), and the contents of the files the step asked for. Steps never touch the others.
 */
export interface BuildSource {
  readonly paths: ReadonlySet<string>;
  /** The bytes of a file the step said it needs; a PostprocessError names the file when it is not there. */
  read(path: string): Promise<Buffer>;
}

/** What a step does to the build: new contents by path (a new path adds a file), or null to remove one. */
export type BuildChanges = Map<string, Buffer | null>;

export interface StepResult<Report = undefined> {
  changes: BuildChanges;
  /** Sentences for the user's log: what the step derived or could not. */
  notes: string[];
  report: Report;
}

/**
 * One post-processing step. `needs` says which files it reads; an adapter (the gulp transforms, the CLI)
 * holds those until the end and lets every other file through untouched, so large assets stream past.
 */
export interface BuildStep<Report = undefined> {
  readonly name: string;
  needs(path: string): boolean;
  run(build: BuildSource): Promise<StepResult<Report>>;
}

/** The build is not what a step expects (no index.html, an unreadable config.json...); `file` names the culprit. */
export class PostprocessError extends Error {
  override name = 'PostprocessError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** A file of the build as text, with the error a step gives when the file is missing. */
export async function readText(build: BuildSource, path: string, why: string): Promise<string> {
  if (!build.paths.has(path))
    throw new PostprocessError(`The build has no ${path}, which ${why}: is this a PlayCanvas "static" build?`, path);
  return (await build.read(path)).toString('utf8');
}
