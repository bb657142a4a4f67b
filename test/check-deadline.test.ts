import { expect, it } from 'vitest';
import { DeadlinePassed, withDeadline } from '../packages/check/src/deadline.js';

// The check reports how long it waited from performance.now(); Node's timers count whole milliseconds of the event
// loop's clock and may fire up to one early by it. A check given `timeout: 3000` once said it waited 2999 ms.
it('withDeadline rejects only once performance.now() has reached the deadline, never a fraction early', async () => {
  const early: number[] = [];
  for (let round = 0; round < 60; round++) {
    const at = performance.now() + 2 + (round % 10) / 10;
    const outcome = await withDeadline(new Promise<never>(() => undefined), at).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(DeadlinePassed);
    const now = performance.now();
    if (now < at) early.push(at - now);
  }
  expect(early).toEqual([]);
});

it('withDeadline gives the promise its outcome when it settles first', async () => {
  await expect(withDeadline(Promise.resolve('done'), performance.now() + 1000)).resolves.toBe('done');
});
