import { describe, expect, it } from 'vitest';
import { readAhead } from '../src/read-ahead.js';

async function* numbers(n: number, log: string[]): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    log.push(`pull ${i}`);
    yield i;
  }
}

const later = <T>(value: T, ms: number) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('readAhead', () => {
  it('keeps the order whatever order the work finishes in', async () => {
    const out: number[] = [];
    for await (const x of readAhead(
      numbers(10, []),
      (i) => later(i * 10, (10 - i) * 3),
      () => 1,
      { items: 4, weight: 100 },
    ))
      out.push(x);
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('starts at most `items` ahead, and within `weight` (but always one)', async () => {
    let running = 0;
    let most = 0;
    const start = async (i: number) => {
      running += 1;
      most = Math.max(most, running);
      await later(null, 5);
      running -= 1;
      return i;
    };
    for await (const _ of readAhead(numbers(20, []), start, () => 1, { items: 3, weight: 100 })) await later(null, 2);
    expect(most).toBe(3);
    most = 0;
    for await (const _ of readAhead(numbers(5, []), start, () => 1000, { items: 3, weight: 10 })) await later(null, 2);
    expect(most).toBe(1);
  });

  it('surfaces a failure at its turn, not before, and stops pulling', async () => {
    const log: string[] = [];
    const out: number[] = [];
    const run = async () => {
      for await (const x of readAhead(
        numbers(10, log),
        (i) => (i === 2 ? Promise.reject(new Error('bad entry 2')) : later(i, 1)),
        () => 1,
        { items: 4, weight: 100 },
      ))
        out.push(x);
    };
    await expect(run()).rejects.toThrow('bad entry 2');
    expect(out).toEqual([0, 1]);
    expect(log.length).toBeLessThan(10);
  });
});
