/** The time given ran out before an answer came: the page (or the browser) did not answer in time. */
export class DeadlinePassed extends Error {
  override name = 'DeadlinePassed';
}

/**
 * The promise's outcome, or a DeadlinePassed rejection once `performance.now()` reaches `at`, whichever comes
 * first. Playwright's own timeouts run in the page for some calls (waitForFunction) and not at all for others
 * (evaluate): a page whose main thread never yields would keep them waiting for ever.
 */
export function withDeadline<T>(promise: Promise<T>, at: number): Promise<T> {
  // the loser may settle later (when the browser closes): its rejection is no one's business then
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<never>((_, reject) => {
    // a timer may fire up to a millisecond early by performance.now() (the event loop's clock counts whole
    // milliseconds): armed again until the deadline has truly passed, so that a check with `timeout: 3000` never
    // says it waited 2999 ms
    const arm = () => {
      const left = at - performance.now();
      timer = left > 0 ? setTimeout(arm, Math.ceil(left)) : undefined;
      if (left <= 0) reject(new DeadlinePassed('deadline passed'));
    };
    arm();
  });
  return Promise.race([promise, passed]).finally(() => clearTimeout(timer));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
