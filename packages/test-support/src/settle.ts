/**
 * How a run ended, done or with its error; throws "did not settle" when it has not within `boundMs`: a test of
 * something that must end fails fast and says so, instead of waiting for the test's own timeout.
 */
export async function settled(run: Promise<unknown>, boundMs: number): Promise<{ error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), boundMs);
  });
  try {
    const outcome = await Promise.race([
      run.then(
        () => ({}),
        (error: unknown) => ({ error }),
      ),
      bound,
    ]);
    if (outcome === 'hung') throw new Error(`did not settle within ${boundMs} ms`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/** True once `check` holds, trying every `stepMs` for up to `withinMs`; false if it never did. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  withinMs = 1500,
  stepMs = 50,
): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
