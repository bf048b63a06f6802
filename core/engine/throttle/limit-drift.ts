/**
 * Loss rates within this share of a rate held are that rate's limit measured again: a limit
 * measured a shade high draws a 429 at it and a measure a few percent below, not a move.
 */
const HELD_TOLERANCE = 0.1;

/** One learned loss rate, and what the pace did before it. */
interface LossPoint {
  atMs: number;
  ratePerSecond: number;
  /** The pace then held at this rate for a whole climb. */
  held: boolean;
  /** The rate is what got through, below the pace (not the pace itself). */
  measured: boolean;
  /** The pace kept the previous loss rate, without a 429, long enough to prove it (`onLoss`). */
  previousSustained: boolean;
  /** The limit period when the loss came, ms: what a swing's leg ending here is judged by (`swungOverPeriods`). */
  periodMs: number;
}

/**
 * How fast a hidden limit moves, measured from the loss rates the rate controller learned
 * (docs/ARCHITECTURE.md, "The throttle"): the largest |ln(r2 / r1)| per second over the last few
 * losses. Only movement the losses prove counts: a loss above the one before (the pace went past
 * it cleanly: the limit rose, or the earlier measure was short), more than `HELD_TOLERANCE`
 * below a rate the pace held for a whole climb, or a measured loss well below a measured rate
 * the pace had kept without a 429 for longer than a window's burst can carry a pace above the
 * limit (the limit fell: another tool, a background consumer), or after a wait so short that
 * checking costs little (`onLoss`). A run of losses each below the last while the pace is still
 * coming down from slow start, each soon after its wait, is convergence, not movement, and counts for
 * nothing, so a static limit has no drift. A proven move is measured over the losses that go on
 * in its direction after it: a step (a limit that halved) shows as several falls in a row, and
 * its first pair alone would read it as slow. Losses after a move that find the limit where it
 * took it, a limit period or more after the move's last loss, say it stopped there: the move's
 * speed is then its whole change over the time from its start to the last of them, so a step
 * (another tool took half the budget and holds it) reads slower the longer it is seen standing,
 * not as a limit still moving at its fall's speed. A limit seen turning twice is a swing
 * (`swinging`), and its speed is then read over twice as many losses, none taken as a stop (a
 * swing turns again however long it stood). The rate controller sizes its hold, its climb back
 * and its probe's growth by it.
 */
export class LimitDrift {
  private readonly losses: LossPoint[] = [];
  /**
   * What the losses say, read once per loss: the controller asks for it on every pace reading,
   * and it changes only when a loss comes or the losses are forgotten.
   */
  private readings: { perSecond: number; swinging: boolean; swungOverPeriods: boolean } | undefined;
  /** The limit period, ms (`setPeriod`): how long a loss at a level must come after a move to show it stopped. */
  private periodMs = 1000;

  /**
   * `size`: the last losses that say where the limit last stood (`highRatePerSecond`) and how
   * fast it moves; `swingSize`: how many are remembered to see a swing (`swinging`), whose
   * speed is measured over all of them.
   */
  constructor(
    private readonly size = 4,
    private readonly swingSize = 2 * size,
  ) {}

  /**
   * A loss at `atMs` learned `ratePerSecond`. `previousHeld`: the pace held at the previous loss
   * rate for a whole climb before this loss. `measured`: the rate is what got through, below the
   * pace (not the pace itself). `previousSustained`: the pace kept the previous loss rate without
   * a 429, from the end of its wait to this loss, for at least a limit period, a climb's requests
   * and that wait's length (a wait renews a window's or a bucket's budget, which then carries a
   * pace above the limit for a while; a span longer than both proves the rate got through), or
   * the wait was shorter than a limit period (a probe then costs less than a period, cheap
   * enough to take the fall for movement and find out, `RateController.onThrottle`).
   */
  onLoss(
    atMs: number,
    ratePerSecond: number,
    previousHeld: boolean,
    measured: boolean,
    previousSustained = false,
  ): void {
    const last = this.losses[this.losses.length - 1];
    if (last && previousHeld) last.held = true;
    // a plateau loss at a rate already held: the limit stood there until now, so this one is held too
    const held =
      !measured &&
      last?.held === true &&
      Math.abs(ratePerSecond / last.ratePerSecond - 1) < HELD_TOLERANCE;
    this.losses.push({
      atMs,
      ratePerSecond,
      held,
      measured,
      previousSustained,
      periodMs: this.periodMs,
    });
    if (this.losses.length > this.swingSize) this.losses.shift();
    this.readings = undefined;
  }

  /** Sets the measured limit period, ms (`RateController.setPeriod`). */
  setPeriod(periodMs: number): void {
    if (periodMs === this.periodMs) return;
    this.periodMs = periodMs;
    this.readings = undefined;
  }

  /**
   * Forgets the losses seen: the limit came back to a rate the pace held before it moved, so
   * the move is over and a limit standing there again is probed as a static one.
   */
  reset(): void {
    this.losses.length = 0;
    this.readings = undefined;
  }

  /**
   * The highest of the last few loss rates, per second (0 if none): where a limit seen moving
   * last stood, so the pace follows it back up that far at its speed (`RateController.rate`).
   */
  get highRatePerSecond(): number {
    let high = 0;
    for (let i = this.recentFrom(); i < this.losses.length; i += 1) {
      high = Math.max(high, this.losses[i]?.ratePerSecond ?? 0);
    }
    return high;
  }

  /**
   * The limit's measured speed, natural-log units per second (0: static, or not known yet):
   * over the last `size` losses, or over every loss remembered while they show a swing
   * (`swinging`): a swing's losses at its low or its high show no move for a while, and a
   * speed forgotten there left the pace on a static hold while the limit came back.
   */
  get perSecond(): number {
    return this.read().perSecond;
  }

  /**
   * Whether the losses remembered prove the limit turned twice (down, up and down again, or
   * up, down and up): a swing, a background consumer whose use goes up and down, whose next
   * move is as fast as the last ones however many losses at one rate came since. Each move
   * counts when proven (`proven`) and larger than `HELD_TOLERANCE` (a limit measured a shade
   * high or low again is no turn). One fall and its return (another tool ran for a while) is
   * one turn: no swing, and its speed is forgotten as the last losses stand still.
   */
  swinging(): boolean {
    return this.read().swinging;
  }

  /**
   * Whether the swing (`swinging`) turned twice between legs each larger than its measures'
   * noise: a leg is a run of proven moves one after the other in one direction, from the loss
   * it left to the last it reached, and it counts when its rates moved by more than one limit
   * period over its span (the period known when it ended): a rate measured over a span counts
   * a window's budget more or less as the window renews once more or less within it, so two
   * measures of a static limit over that span may differ by that share. A limit a background
   * consumer swings moves by half or more each way within a few periods; a static limit whose
   * measures bounce (a short window's diluted counts from one loss to the next, a window of
   * 4.7 s measured over cycles of 6-9 s, 25-33% apart at each turn) moves less than that. Only a
   * swing so proven is followed past where it last stood (`climbRate`).
   */
  swungOverPeriods(): boolean {
    return this.read().swungOverPeriods;
  }

  private read(): { perSecond: number; swinging: boolean; swungOverPeriods: boolean } {
    if (this.readings === undefined) {
      const swinging = this.turnedTwice();
      const perSecond = this.speedOver(swinging ? 0 : this.recentFrom(), !swinging);
      const swungOverPeriods = swinging && this.legsTurnedTwice();
      this.readings = { swinging, perSecond, swungOverPeriods };
    }
    return this.readings;
  }

  /**
   * The fastest proven move among the losses from index `from` on (see `perSecond`); with
   * `stops`, a move the later losses saw stand still is slowed by the time it stood.
   */
  private speedOver(from: number, stops: boolean): number {
    const losses = this.losses;
    let drift = 0;
    for (let i = from + 1; i < losses.length; i += 1) {
      const before = losses[i - 1];
      const after = losses[i];
      if (!before || !after || !this.proven(before, after)) continue;
      // the move goes on while each next measured loss continues in its direction
      const rising = after.ratePerSecond > before.ratePerSecond;
      let speed = 0;
      let end = after;
      let j = i;
      for (; j < losses.length; j += 1) {
        const next = losses[j];
        const prior = losses[j - 1];
        if (!next || !prior) break;
        if (j > i && (!next.measured || next.ratePerSecond > prior.ratePerSecond !== rising)) break;
        speed = Math.max(speed, speedPerSecond(before, next));
        end = next;
      }
      // then the losses that find the limit where the move took it (within `HELD_TOLERANCE`);
      // one less than a limit period after the move's end met the budget the move left, and
      // says nothing of whether the limit stays there
      let stoodUntil: LossPoint | undefined;
      for (; stops && j < losses.length; j += 1) {
        const next = losses[j];
        if (!next || Math.abs(next.ratePerSecond / end.ratePerSecond - 1) >= HELD_TOLERANCE) break;
        if (next.atMs - end.atMs >= this.periodMs) stoodUntil = next;
      }
      if (stoodUntil) speed = speedPerSecond(before, { ...end, atMs: stoodUntil.atMs });
      drift = Math.max(drift, speed);
    }
    return drift;
  }

  /** Where the last `size` losses begin in the memory. */
  private recentFrom(): number {
    return Math.max(0, this.losses.length - this.size);
  }

  /** Whether the proven moves among the losses remembered turned twice (see `swinging`). */
  private turnedTwice(): boolean {
    return turns(Array.from(this.provenMoves(), (move) => move.rising)) >= 2;
  }

  /** Whether the legs of proven moves, each beyond its measures' noise, turned twice (`swungOverPeriods`). */
  private legsTurnedTwice(): boolean {
    const legs: { rising: boolean; from: LossPoint; to: LossPoint }[] = [];
    for (const { before, after, rising } of this.provenMoves()) {
      const last = legs[legs.length - 1];
      if (last && last.rising === rising && last.to === before) last.to = after;
      else legs.push({ rising, from: before, to: after });
    }
    const beyondNoise = legs.filter(({ from, to, rising }) => {
      // one period's budget more or less over the leg's span is the measures' noise
      const noise = to.periodMs / (to.atMs - from.atMs);
      const moved = rising
        ? to.ratePerSecond / from.ratePerSecond
        : from.ratePerSecond / to.ratePerSecond;
      return moved > 1 + noise;
    });
    return turns(beyondNoise.map((leg) => leg.rising)) >= 2;
  }

  /** The proven moves between losses one after the other, each past `HELD_TOLERANCE`, in order. */
  private *provenMoves(): Generator<{ before: LossPoint; after: LossPoint; rising: boolean }> {
    for (let i = 1; i < this.losses.length; i += 1) {
      const before = this.losses[i - 1];
      const after = this.losses[i];
      if (!before || !after || !this.proven(before, after)) continue;
      const ratio = after.ratePerSecond / before.ratePerSecond;
      if (ratio > 1 - HELD_TOLERANCE && ratio < 1 / (1 - HELD_TOLERANCE)) continue;
      yield { before, after, rising: ratio > 1 };
    }
  }

  /** Whether the change from `before` to `after` proves the limit moved (see the class comment). */
  private proven(before: LossPoint, after: LossPoint): boolean {
    if (after.ratePerSecond > before.ratePerSecond) return true;
    if (before.held && after.ratePerSecond < before.ratePerSecond * (1 - HELD_TOLERANCE))
      return true;
    return before.measured && after.measured && after.previousSustained;
  }
}

/** |ln(r2 / r1)| per second from one loss to a later one; 0 over no time. */
function speedPerSecond(from: LossPoint, to: LossPoint): number {
  const spanS = (to.atMs - from.atMs) / 1000;
  return spanS > 0 ? Math.abs(Math.log(to.ratePerSecond / from.ratePerSecond)) / spanS : 0;
}

/** How often a sequence of directions (rising or not) changed direction. */
function turns(directions: readonly boolean[]): number {
  let count = 0;
  for (let i = 1; i < directions.length; i += 1) {
    if (directions[i] !== directions[i - 1]) count += 1;
  }
  return count;
}
