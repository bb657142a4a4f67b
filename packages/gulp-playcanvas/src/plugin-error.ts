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
  const message = jobId !== undefined && !err.message.includes(`job ${jobId}`) ? `${err.message} (job ${jobId})` : err.message;
  const wrapped = new PluginError(PLUGIN_NAME, err, { message, showStack: false });
  Object.defineProperty(wrapped, 'cause', { value: err, enumerable: false, configurable: true, writable: true });
  return wrapped;
}
