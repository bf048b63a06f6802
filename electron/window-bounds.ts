/** A window's position and size, in screen pixels. */
export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered between launches. */
export interface SavedWindowState {
  bounds: WindowBounds;
  maximized: boolean;
}

const MIN_VISIBLE_PX = 64;

/**
 * The remembered bounds to open the window with, if they still make sense: at least
 * `MIN_VISIBLE_PX` of the window must overlap one of today's displays (a monitor may have been
 * unplugged). Otherwise only the size is kept and the OS places the window.
 */
export function restorableBounds(
  saved: SavedWindowState | undefined,
  workAreas: readonly WindowBounds[],
): { x?: number; y?: number; width: number; height: number } | undefined {
  if (!saved) return undefined;
  const { bounds } = saved;
  if (!(bounds.width > 0 && bounds.height > 0)) return undefined;
  const visible = workAreas.some((area) => {
    const overlapX =
      Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const overlapY =
      Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return overlapX >= MIN_VISIBLE_PX && overlapY >= MIN_VISIBLE_PX;
  });
  return visible ? { ...bounds } : { width: bounds.width, height: bounds.height };
}
