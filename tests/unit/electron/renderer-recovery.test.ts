import { describe, expect, it } from 'vitest';
import {
  MAX_RELOADS,
  RELOAD_WINDOW_MS,
  RendererRecovery,
  rendererGoneMessage,
} from '../../../electron/renderer-recovery';

// A window whose renderer process is gone is reloaded (the form and run views restore
// themselves), but not forever: a renderer that keeps dying gets a plain message instead.

function clock(startMs = 1_000_000) {
  let now = startMs;
  return { nowMs: () => now, advance: (ms: number) => void (now += ms) };
}

describe('RendererRecovery', () => {
  it('reloads a renderer that crashed, was killed or ran out of memory', () => {
    const recovery = new RendererRecovery({ nowMs: clock().nowMs });
    expect(recovery.onGone('crashed')).toBe('reload');
    expect(new RendererRecovery().onGone('oom')).toBe('reload');
    expect(new RendererRecovery().onGone('killed')).toBe('reload');
  });

  it('leaves a renderer that exited cleanly alone, and does not count it', () => {
    const recovery = new RendererRecovery({ maxReloads: 1, nowMs: clock().nowMs });
    expect(recovery.onGone('clean-exit')).toBe('ignore');
    expect(recovery.onGone('crashed')).toBe('reload');
  });

  it(`gives up after ${MAX_RELOADS} reloads within a minute`, () => {
    const time = clock();
    const recovery = new RendererRecovery({ nowMs: time.nowMs });
    for (let count = 0; count < MAX_RELOADS; count += 1) {
      expect(recovery.onGone('crashed')).toBe('reload');
      time.advance(5_000);
    }
    expect(recovery.onGone('crashed')).toBe('give-up');
    expect(recovery.onGone('crashed')).toBe('give-up');
  });

  it('reloads again once the earlier reloads are more than a minute old', () => {
    const time = clock();
    const recovery = new RendererRecovery({ nowMs: time.nowMs });
    for (let count = 0; count < MAX_RELOADS; count += 1) recovery.onGone('crashed');
    time.advance(RELOAD_WINDOW_MS);
    expect(recovery.onGone('crashed')).toBe('reload');
  });

  it('reloads again after a give-up when the person asks for it (reset)', () => {
    const recovery = new RendererRecovery({ maxReloads: 1, nowMs: clock().nowMs });
    recovery.onGone('crashed');
    expect(recovery.onGone('crashed')).toBe('give-up');
    recovery.reset();
    expect(recovery.onGone('crashed')).toBe('reload');
  });
});

describe('rendererGoneMessage', () => {
  it('says what happened, that uploads go on, and where the log is', () => {
    const { message, detail } = rendererGoneMessage('crashed', '/data/logs');
    expect(message).toBe('The Sluice window keeps stopping');
    expect(detail).toContain(`(crashed) ${MAX_RELOADS + 1} times within a minute`);
    expect(detail).toContain('Uploads in progress go on in the background');
    expect(detail).toContain('The log is in /data/logs');
  });
});
