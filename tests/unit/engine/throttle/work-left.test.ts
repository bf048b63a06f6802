import { describe, expect, it } from 'vitest';
import { OrgLimiter } from '../../../../core/engine/throttle/org-limiter';
import { WorkLeft } from '../../../../core/engine/throttle/work-left';
import { FakeClock } from '../fake-clock';

describe('WorkLeft', () => {
  it('is unknown until a run registers, then sums the runs sharing the limiter', () => {
    const work = new WorkLeft();
    expect(work.requests).toBeUndefined();
    const first = work.register(100);
    const second = work.register(40);
    expect(work.requests).toBe(140);
    first.update(90);
    second.update(35);
    expect(work.requests).toBe(125);
  });

  it("drops a run's count when it withdraws, and ignores its updates after", () => {
    const work = new WorkLeft();
    const first = work.register(100);
    const second = work.register(40);
    first.withdraw();
    expect(work.requests).toBe(40);
    first.update(80);
    expect(work.requests).toBe(40);
    second.withdraw();
    expect(work.requests).toBeUndefined();
  });

  it("is unknown while any registered run cannot tell its count, not the others' sum", () => {
    const work = new WorkLeft();
    work.register(100);
    const reading = work.register(undefined);
    expect(work.requests).toBeUndefined();
    reading.update(30);
    expect(work.requests).toBe(130);
    reading.update(undefined);
    expect(work.requests).toBeUndefined();
    reading.withdraw();
    expect(work.requests).toBe(100);
  });

  it('is read through the org limiter every run on the org registers with', () => {
    const limiter = new OrgLimiter({ clock: new FakeClock() });
    expect(limiter.requestsLeft).toBeUndefined();
    const run = limiter.registerWork(12);
    limiter.registerWork(3);
    expect(limiter.requestsLeft).toBe(15);
    run.withdraw();
    expect(limiter.requestsLeft).toBe(3);
  });
});
