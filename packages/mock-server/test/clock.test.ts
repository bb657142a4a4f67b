import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MockClock } from '../src/clock.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const START = Date.UTC(2026, 5, 1);

describe('the mock clock', () => {
  it('in real time, runs on from its start; reset keeps it at the present it would show had nobody moved it', () => {
    const clock = new MockClock({ mode: 'realtime', start: START });
    vi.advanceTimersByTime(10 * 60_000);
    expect(clock.now()).toBe(START + 10 * 60_000);
    clock.advance(3_600_000);
    clock.reset('realtime');
    // ten minutes after it started: not back at its start, which would be ten minutes in the past by the wall clock
    expect(clock.now()).toBe(START + 10 * 60_000);
    vi.advanceTimersByTime(1000);
    expect(clock.now()).toBe(START + 10 * 60_000 + 1000);
  });

  it('frozen, stays put, and reset takes it back to its start', () => {
    const clock = new MockClock({ mode: 'frozen', start: START });
    vi.advanceTimersByTime(60_000);
    expect(clock.now()).toBe(START);
    clock.advance(5000);
    expect(clock.now()).toBe(START + 5000);
    clock.reset('frozen');
    expect(clock.now()).toBe(START);
  });

  it('refuses dates it could not show', () => {
    const clock = new MockClock({ start: START });
    expect(() => clock.set(1e20)).toThrow(/outside the dates the mock can show \(1970 to 9999\)/);
    expect(() => clock.set('not a date')).toThrow(/not a date/);
    expect(clock.now()).toBe(START);
  });
});
