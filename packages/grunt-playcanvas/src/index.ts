import type { BuildMetadata } from '@gulp-playcanvas/playcanvas-pipeline';
import { safeUrl } from '@gulp-playcanvas/playcanvas-rest-client';
import { resolveTask, type TaskInput } from './options.js';
import { runTask, type TaskLog } from './run.js';

export type { BuildMetadata } from '@gulp-playcanvas/playcanvas-pipeline';
export {
  type ResolvedTask,
  resolveTask,
  TARGET_PROPERTIES,
  TASK_OPTIONS,
  TASK_TABLES,
  type TaskInput,
} from './options.js';
export { POSTPROCESS_OPTIONS } from './post-steps.js';
export { runTask, type TaskLog } from './run.js';

/** What tasks/playcanvas.js calls for one target: the options checked (failing before any request), then the run. */
export async function runTarget(input: TaskInput, log: TaskLog): Promise<BuildMetadata> {
  return runTask(resolveTask(input), log);
}

/** The options as `grunt --verbose` may show them: the token hidden, a proxy or Redis URL without its credentials. */
export function forDisplay(options: unknown): unknown {
  if (typeof options !== 'object' || options === null) return options;
  const shown: Record<string, unknown> = { ...options };
  if (shown.token !== undefined) shown.token = '(hidden)';
  if (typeof shown.proxy === 'string') shown.proxy = safeUrl(shown.proxy);
  const budget = shown.rateBudget as { redis?: unknown } | undefined;
  if (typeof budget === 'object' && budget !== null && typeof budget.redis === 'string')
    shown.rateBudget = { ...budget, redis: safeUrl(budget.redis) };
  return shown;
}
