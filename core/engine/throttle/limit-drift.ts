/** One learned loss rate, and whether the pace then held at it for a whole climb. */
interface LossPoint {
  atMs: number;
  ratePerSecond: number;
  held: boolean;
}

/**
 * How fast a hidden limit moves, measured from the loss rates the rate controller learned
 * (docs/ARCHITECTURE.md, "Throttle"): the largest |ln(r2 / r1)| per second between two
 * consecutive losses, over the last few. Only movement the losses prove counts: a loss above
 * the one before (the pace went past it cleanly: the limit rose, or the earlier measure was
 * short) or below a rate the pace held for a whole climb (the limit fell: another tool, a
 * background consumer). A run of losses each below the last while the pace is still coming
 * down from slow start is convergence, not movement, and counts for nothing, so a static limit
 * has no drift. The rate controller sizes its hold and its probe's growth by it.
 */
export class LimitDrift {
  private readonly losses: LossPoint[] = [];

  constructor(private readonly size = 4) {}

  /**
   * A loss at `atMs` learned `ratePerSecond`. `previousHeld`: the pace held at the previous loss
   * rate for a whole climb before this loss. `measured`: the rate is what got through, below the
   * pace (not the pace itself).
   */
  onLoss(atMs: number, ratePerSecond: number, previousHeld: boolean, measured: boolean): void {
    const last = this.losses[this.losses.length - 1];
    if (last && previousHeld) last.held = true;
    // a plateau loss at a rate already held: the limit stood there until now, so this one is held too
    const held =
      !measured && last?.held === true && Math.abs(ratePerSecond / last.ratePerSecond - 1) < 0.1;
    this.losses.push({ atMs, ratePerSecond, held });
    if (this.losses.length > this.size) this.losses.shift();
  }

  /**
   * Forgets the losses seen: the limit came back to a rate the pace held before it moved, so
   * the move is over and a limit standing there again is probed as a static one.
   */
  reset(): void {
    this.losses.length = 0;
  }

  /** The limit's measured speed, natural-log units per second (0: static, or not known yet). */
  get perSecond(): number {
    let drift = 0;
    for (let i = 1; i < this.losses.length; i += 1) {
      const before = this.losses[i - 1];
      const after = this.losses[i];
      if (!before || !after) continue;
      const proven = after.ratePerSecond > before.ratePerSecond || before.held;
      const spanS = (after.atMs - before.atMs) / 1000;
      if (!proven || !(spanS > 0)) continue;
      drift = Math.max(
        drift,
        Math.abs(Math.log(after.ratePerSecond / before.ratePerSecond)) / spanS,
      );
    }
    return drift;
  }
}
