import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunMetrics, RunSummary } from '../../../../core/contract';
import { EventBus } from '../../../../core/services/event-bus';
import { createRunViewServices } from '../../../../core/services/run-view-service';
import { FileAccess } from '../../../../core/services/file-access';
import { zeroMetrics, zeroSummary } from '../../../support/run-records';

// The run view's memory, fed straight from the event bus: how many points it keeps, when a new
// session starts a new trace, and that ended runs are let go past a limit.
let folder: string;
let events: EventBus;
let services: ReturnType<typeof createRunViewServices>;

function tick(
  runId: string,
  elapsedMs: number,
  state: RunMetrics['state'] = 'running',
): RunMetrics {
  return zeroMetrics(runId, elapsedMs, { state });
}

function finished(runId: string, state: RunSummary['state']): RunSummary {
  return zeroSummary(runId, { state, elapsedMs: 1000 });
}

beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-run-view-unit-'));
  events = new EventBus();
  services = createRunViewServices({
    events,
    dataFolder: folder,
    loadSchema: () => Promise.reject(new Error('not used')),
    files: new FileAccess({ roots: [folder] }),
  });
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('run view service', () => {
  it('keeps points about half a second apart, always with the latest tick last', async () => {
    for (let ms = 0; ms <= 2000; ms += 100) events.emit('runs:metrics', tick('a', ms));
    const trace = await services['runs:trace']({ runId: 'a' });
    const times = trace.metrics.map((point) => point.elapsedMs);
    expect(times.at(-1)).toBe(2000);
    expect(times.length).toBeLessThanOrEqual(6);
    for (let index = 1; index < times.length - 1; index += 1) {
      expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(500);
    }
    expect(trace.live).toBe(true);
    expect((await services['runs:live']({})).map((run) => run.runId)).toEqual(['a']);
  });

  it('starts a new trace when a session counts its time from zero again (a resume)', async () => {
    events.emit('runs:metrics', tick('a', 5000));
    events.emit('runs:finished', finished('a', 'paused'));
    expect((await services['runs:trace']({ runId: 'a' })).live).toBe(false);
    expect((await services['runs:live']({})).map((run) => run.runId)).toEqual(['a']);
    events.emit('runs:metrics', tick('a', 100));
    const trace = await services['runs:trace']({ runId: 'a' });
    expect(trace.metrics.map((point) => point.elapsedMs)).toEqual([100]);
    expect(trace.summary).toBeUndefined();
    expect(trace.live).toBe(true);
  });

  it('lets go of the oldest ended runs past thirty, never of a live one', async () => {
    events.emit('runs:metrics', tick('live', 0));
    for (let index = 0; index < 35; index += 1) {
      events.emit('runs:metrics', tick(`ended-${index}`, 0));
      events.emit('runs:finished', finished(`ended-${index}`, 'completed'));
    }
    expect((await services['runs:trace']({ runId: 'ended-0' })).metrics).toEqual([]);
    expect((await services['runs:trace']({ runId: 'ended-34' })).metrics).toHaveLength(1);
    expect((await services['runs:trace']({ runId: 'live' })).live).toBe(true);
    expect((await services['runs:live']({})).map((run) => run.runId)).toEqual(['live']);
  });
});
