import { describe, expect, it } from 'vitest';
import { pauseRunningRuns } from '../../../electron/quit-safely';

describe('pauseRunningRuns', () => {
  it('pauses every running run and waits until none is running', async () => {
    const running = new Set(['a', 'b']);
    const paused: string[] = [];
    const left = await pauseRunningRuns(
      {
        'runs:pause': async ({ runId }) => {
          paused.push(runId);
          setTimeout(() => running.delete(runId), 150);
          return { state: 'pausing' };
        },
      },
      () => [...running],
    );
    expect(paused.sort()).toEqual(['a', 'b']);
    expect(left).toEqual([]);
  });

  it('gives up after its timeout and names the runs still running', async () => {
    const left = await pauseRunningRuns(
      { 'runs:pause': async () => ({ state: 'pausing' }) },
      () => ['stuck'],
      200,
    );
    expect(left).toEqual(['stuck']);
  });
});
