import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock, wakeableSleep } from '../../../../core/engine/throttle/clock';
import { FakeClock, settle } from '../fake-clock';

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('systemClock.sleepWakeably', () => {
  afterEach(() => vi.useRealTimers());

  it('resolves at its delay, and not before', async () => {
    vi.useFakeTimers();
    const sleep = wakeableSleep(systemClock, 250);
    vi.advanceTimersByTime(249);
    expect(await settled(sleep.done)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(sleep.done)).toBe(true);
  });

  it('resolves at wake() and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const sleep = wakeableSleep(systemClock, 60_000);
    expect(vi.getTimerCount()).toBe(1);
    sleep.wake();
    expect(await settled(sleep.done)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    sleep.wake(); // a second wake, or one after the delay, does nothing
    expect(await settled(sleep.done)).toBe(true);
  });

  it('resolves at once for a delay of zero or less', async () => {
    vi.useFakeTimers();
    expect(await settled(wakeableSleep(systemClock, 0).done)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('wakeableSleep on a clock without its own', () => {
  it('sleeps on the clock and wakes through its abort signal', async () => {
    const clock = new FakeClock();
    const timed = wakeableSleep(clock, 100);
    const woken = wakeableSleep(clock, 100);
    await clock.advanceTo(99);
    expect(await settled(timed.done)).toBe(false);
    woken.wake();
    await settle();
    expect(await settled(woken.done)).toBe(true);
    expect(await settled(timed.done)).toBe(false);
    await clock.advanceTo(100);
    expect(await settled(timed.done)).toBe(true);
  });
});
