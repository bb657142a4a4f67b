import { closeConnections } from '@gulp-playcanvas/playcanvas-rest-client';

/** How long the process may take to end by itself once done, before it is ended: enough to flush its output. */
export const EXIT_GRACE_MS = 500;

/**
 * Ends the process with `code` once the command has said how it ended. The connections are closed so that it
 * ends by itself; whatever else is still open (a socket a proxy never answers, a keep-alive) cannot keep it up
 * past the grace time, as the timer, unref'd, ends it only if something still holds the event loop.
 */
export async function exitWhenDone(code: number, graceMs = EXIT_GRACE_MS): Promise<void> {
  process.exitCode = code;
  setTimeout(() => process.exit(code), graceMs).unref();
  await closeConnections();
}
