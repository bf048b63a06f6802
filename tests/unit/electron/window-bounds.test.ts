import { describe, expect, it } from 'vitest';
import { restorableBounds } from '../../../electron/window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('restorableBounds', () => {
  it('restores a window that is still on a display', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: false };
    expect(restorableBounds(saved, [laptop, external])).toEqual(saved.bounds);
  });

  it('keeps only the size when its monitor is gone', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: false };
    expect(restorableBounds(saved, [laptop])).toEqual({ width: 1200, height: 800 });
  });

  it('ignores nothing saved and nonsense sizes', () => {
    expect(restorableBounds(undefined, [laptop])).toBeUndefined();
    expect(
      restorableBounds({ bounds: { x: 0, y: 0, width: 0, height: 10 }, maximized: false }, [
        laptop,
      ]),
    ).toBeUndefined();
  });
});
