import { show } from '@gulp-playcanvas/playcanvas-rest-client';
import PluginError from 'plugin-error';

export const PLUGIN_NAME = 'gulp-playcanvas';

/**
 * A failure as the stream reports it: a PluginError with the plugin's name that keeps the client error's
 * fields (code, status, jobId, messages) and the error itself as `cause`, naming the job when there is one.
 * The client's error is left as it is.
 */
export function toPluginError(error: unknown, jobId?: number): PluginError {
  if (error instanceof PluginError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const message =
    jobId !== undefined && !err.message.includes(`job ${jobId}`) ? `${err.message} (job ${jobId})` : err.message;
  const wrapped = new PluginError(PLUGIN_NAME, err, { message, showStack: false });
  Object.defineProperty(wrapped, 'cause', { value: err, enumerable: false, configurable: true, writable: true });
  return withReadableDetails(wrapped);
}

const describeItem = (item: unknown): string => (typeof item === 'string' ? item : show(item));

/**
 * gulp prints a PluginError's enumerable properties under "Details:" as `name: String(value)`, which makes an
 * array of objects `[object Object],[object Object]`. Each array property becomes a copy whose text is one line
 * per item (`describe` words an item; strings as they are, objects as show() does): still an array for the code
 * that catches the error, readable in the log. Plain objects print through show(); a Date or an Error is left
 * as it is.
 */
export function withReadableDetails(
  error: PluginError,
  describe: (item: unknown) => string = describeItem,
): PluginError {
  const target = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(error)) {
    const value = target[key];
    if (Array.isArray(value)) {
      const copy = [...value];
      const text = copy.length === 0 ? '(none)' : copy.map((item) => `\n        - ${describe(item)}`).join('');
      Object.defineProperty(copy, 'toString', { value: () => text, enumerable: false });
      target[key] = copy;
    } else if (
      typeof value === 'object' &&
      value !== null &&
      [Object.prototype, null].includes(Object.getPrototypeOf(value))
    ) {
      const copy = { ...value };
      Object.defineProperty(copy, 'toString', { value: () => show(value), enumerable: false });
      target[key] = copy;
    }
  }
  return error;
}
