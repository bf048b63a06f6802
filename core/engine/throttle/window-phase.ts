/**
 * What a hidden FIXED window proves about the pace (docs/ARCHITECTURE.md, "The throttle"). A
 * fixed window opens with the first request after the previous one closed (docs/GENESYS.md) and
 * admits a budget of B. So, for one client's own requests: the first success after a refusal
 * opens a window; a refusal comes when the last B successes are in the refusing window, which
 * opened at the oldest of them (the window is longer than that span: L); and among any 2B + 1
 * successes in a row a window opened and closed within the longest span of B + 1 of them (the
 * window is at most that: U). The same bounds hold for a sliding log.
 *
 * A pace of B per U never draws a 429 from such a limit, whatever the loss-rate estimate says,
 * so the rate controller is never held below it; once L and U agree (the window's length is
 * known) a pace above it can only be refused, so the pace keeps to it, and looks for a budget
 * that rose (another tool stopped) once every few windows, or at the controller's pace when the
 * window was learned well below a rate held before it (the limit fell and may come back). The model must fit before it counts:
 * two refusals at the same count of successes since a known opening. A refusal at a smaller
 * count (a token bucket, a sliding counter, a background consumer, a limit that fell) or at the
 * pace the model proved safe starts it over, so other shapes fall back to the rate controller
 * alone. A refusal at the count of the last one since a known opening also says when its window
 * closes (that opening plus U), which ends a wait the limiter sized itself. Pure: every method
 * takes the send time of the request answered.
 */
export class WindowPhase {
  /** Send times of the successes since the last opening that followed a refusal, oldest first. */
  private chain: number[] = [];
  /** Whether the chain's first success opened a window (the run's first, or one after a refusal). */
  private chainOpens = false;
  /** Send time of the refusal the limiter is pausing after (undefined: none pending). */
  private refusedAtMs: number | undefined;
  /** The count at the last refusals, and how many in a row came at it. */
  private budget: number | undefined;
  private confirmations = 0;
  /** The window is longer than this (a refusal came this long after its window opened), ms. */
  private lowerMs = 0;
  /** The window is at most this (a success came this long after a window opened), ms. */
  private upperMs = Infinity;
  private successesSinceRefusal = 0;
  /** The last proven pace given, requests per second (0: none). */
  private provenPerSecond = 0;
  /** The proven pace with the pacer's whole slack kept, requests per second (0: none). */
  private slackedPerSecond = 0;
  /** A refusal came at B per U without the slack: U reads short here, keep the slack for good. */
  private slackNeeded = false;
  /** Successes in a row sent no closer together than B per U spaces them. */
  private punctual = 0;
  /** The latest send time of a success, ms. */
  private lastSentAtMs = -Infinity;
  /**
   * The window the latest successes went in, as their send times place it (`burstFits`): it
   * opened with a success sent between `openedFromMs` and `openedByMs`, and `inWindow` successes
   * were sent since the first (so at least as many as it admitted). A success sent more than L
   * after the first may have opened the next: the first such is `nextFromMs`, `inNext` counting
   * those since it; the next surely opened by the first success sent U after `openedByMs`.
   */
  private openedFromMs = -Infinity;
  private openedByMs = -Infinity;
  private inWindow = 0;
  private nextFromMs: number | undefined;
  private inNext = 0;
  /** When the run's last requests first went without the pace (undefined: never). */
  private burstFromMs: number | undefined;
  /**
   * A refusal came among them, or in a window the send times placed surely before it had admitted
   * the budget (a sliding log, which fits the same bounds): no fixed window, the pace keeps the rest.
   */
  private burstRefused = false;
  /**
   * The pending refusal was sent after the placed window surely opened and less than U after: in
   * it, or in the next, which opened since `nextFromMs`.
   */
  private refusedWithinPlaced = false;
  /** Refusals at a pace above the proven one while the model fitted (`searchPerSecond`). */
  private searchRefusals = 0;
  /** Successes and hidden refusals in the run so far (the search's share of refusals). */
  private successes = 0;
  private refusals = 0;
  /** The proven pace of a fitted window a smaller count refuted since last read (0: none). */
  private fallenFromPerSecond = 0;

  /**
   * The pace a fitted window proved, once a refusal at a smaller count refuted it (the limit
   * fell, or another consumer now shares it), read once: the limiter hands it to the rate
   * controller as a rate held, so the pace probes for the limit's return instead of keeping to
   * the fallen window found next. 0 when none since the last read.
   */
  takeFallenFrom(): number {
    const fallen = this.fallenFromPerSecond;
    this.fallenFromPerSecond = 0;
    return fallen;
  }

  /** The window's budget when the model fits (two refusals at one count), else undefined. */
  get fittedBudget(): number | undefined {
    return this.confirmations >= 2 ? this.budget : undefined;
  }

  /** The window is at most this long, ms (Infinity: nothing proven). */
  get windowUpperMs(): number {
    return this.upperMs;
  }

  /** The window is longer than this, ms. */
  get windowLowerMs(): number {
    return this.lowerMs;
  }

  /**
   * When the window that refused the pending refusal has surely closed (send time, ms), or
   * undefined: only when that refusal came at the model's count of successes since a known
   * opening (the count the last refusal came at, so the window is that budget's) and an earlier
   * window bounded U: it closes by its opening plus U.
   */
  get refusedWindowClosedByMs(): number | undefined {
    if (this.refusedAtMs === undefined || !this.chainOpens || !Number.isFinite(this.upperMs)) {
      return undefined;
    }
    if (this.chain.length !== this.budget || this.chain.length < MIN_TIMED_BUDGET) {
      return undefined;
    }
    // the chain opened the window that refused: its first success
    return (this.chain[0] ?? 0) + this.upperMs;
  }

  /**
   * The pace to keep, requests per second, given the rate controller's: never below the
   * proven B per U (less `slackRequests`: the pacer lets half a request through early after a
   * late one, so B less that is spent per U; and U, timed by send times, can read a little
   * short, which the slack absorbs too). The slack goes once it is proven idle: the window is
   * settled and `SLACK_PROOF_WINDOWS` budgets' worth of successes in a row went through, none
   * sent early; it comes back for good at a refusal at full B per U. Once L and U are within
   * `SETTLED_RATIO`, exactly that, except after `RISE_PROBE_WINDOWS` budgets' worth of
   * successes without a refusal, when the controller may probe above it, or when that pace is
   * below `heldAbovePerSecond` (the pace held a rate well above it before: the limit fell, and
   * another tool's share may come back, which the controller's own probes for a moving limit
   * find within a window or two, where eight windows at the fallen pace left half the budget
   * unused).
   */
  pacePerSecond(
    controllerPerSecond: number,
    slackRequests: number,
    heldAbovePerSecond = 0,
    workLeft?: number,
  ): number {
    const budget = this.fittedBudget;
    if (budget === undefined || !Number.isFinite(this.upperMs) || this.upperMs <= 0) {
      this.provenPerSecond = 0;
      return controllerPerSecond;
    }
    const perWindow = this.upperMs / 1000;
    this.slackedPerSecond = Math.max(0, budget - slackRequests) / perWindow;
    // a budget no larger than the pacer's slack proves no pace at all: the controller paces
    const settled =
      this.slackedPerSecond > 0 && this.lowerMs > 0 && this.upperMs <= this.lowerMs * SETTLED_RATIO;
    this.provenPerSecond = this.slackProven(settled, budget)
      ? budget / perWindow
      : this.slackedPerSecond;
    const fellFromHeld = this.provenPerSecond < heldAbovePerSecond;
    const search = this.searchPerSecond(workLeft);
    if (settled && !fellFromHeld && this.successesSinceRefusal < RISE_PROBE_WINDOWS * budget) {
      return Math.max(this.provenPerSecond, search);
    }
    return Math.max(controllerPerSecond, this.provenPerSecond, search);
  }

  /**
   * Whether the requests the runs still have to send, `workLeft` (those in flight included), may
   * go at once rather than at the pace (docs/ARCHITECTURE.md, "A hidden fixed window"): the
   * model has fitted a window whose length is known (L and U agree), and they all fit in what
   * the window a request sent at `nowMs` goes in still admits: the budget less its successes
   * when that window surely opened since the last sure opening and has surely not closed (less
   * than L since), or the whole budget when the latest window that may have opened has surely
   * closed (U since: the request opens the next). Paced evenly, the last R requests of a run
   * take R / pace after the window opens; sent at once they are stored then: what the
   * consultant waits for is the upload's end, not the pace. Never after a refusal among them
   * (the model failed) or while a pause after one is pending.
   */
  burstFits(nowMs: number, workLeft: number | undefined): boolean {
    if (this.burstRefused || workLeft === undefined || workLeft <= 0) return false;
    const budget = this.fittedBudget;
    if (budget === undefined || this.refusedAtMs !== undefined) return false;
    const settled =
      this.lowerMs > 0 &&
      Number.isFinite(this.upperMs) &&
      this.upperMs <= this.lowerMs * SETTLED_RATIO;
    if (!settled) return false;
    let room: number;
    if (nowMs >= this.openedByMs + this.upperMs) {
      // the window closed: a request now opens the next, unless one since `nextFromMs` did
      room = budget - (this.nextFromMs === undefined ? 0 : this.inNext);
    } else if (nowMs < this.openedFromMs + this.lowerMs) room = budget - this.inWindow;
    else return false;
    if (workLeft > room) return false;
    this.burstFromMs ??= nowMs;
    return true;
  }

  /** A success for a request sent at `sentAtMs`. */
  onSuccess(sentAtMs: number): void {
    this.successes += 1;
    this.successesSinceRefusal += 1;
    this.notePunctuality(sentAtMs);
    if (this.refusedAtMs !== undefined) {
      // sent before the refused request: admitted in the window it found full
      if (sentAtMs < this.refusedAtMs) {
        this.placeSuccess(sentAtMs);
        this.chain.push(sentAtMs);
        return;
      }
      // a refusal in the window the send times placed (or the next, if L had passed) before the
      // count there (erring high) reached the budget: not a fixed window of that budget
      const budget = this.fittedBudget;
      const inNext = this.nextFromMs === undefined ? 0 : this.inNext;
      const refusedAtMs = this.refusedAtMs;
      if (
        this.refusedWithinPlaced &&
        budget !== undefined &&
        this.inWindow < budget &&
        (refusedAtMs < this.openedFromMs + this.lowerMs || inNext < budget)
      ) {
        this.burstRefused = true;
      }
      // the first success after a refusal opens a window
      this.openWindow(sentAtMs, sentAtMs, 1);
      this.closeRefusedWindow(sentAtMs);
      this.chain = [sentAtMs];
      this.chainOpens = true;
      this.refusedAtMs = undefined;
      return;
    }
    if (this.chain.length === 0) {
      this.chainOpens = true; // the run's first success
      this.openWindow(sentAtMs, sentAtMs, 1);
    } else this.placeSuccess(sentAtMs);
    this.chain.push(sentAtMs);
    this.boundFromChain();
  }

  /** A 429 the headers do not explain, for a request sent at `sentAtMs` at `pacedPerSecond`. */
  onHiddenThrottle(sentAtMs: number, pacedPerSecond: number): void {
    this.refusals += 1;
    if (this.refusedAtMs !== undefined) {
      // refused again after the pause: the refused window had not closed yet
      if (sentAtMs > this.refusedAtMs) {
        const openedAtMs = this.refusedWindowOpenedAtMs();
        if (openedAtMs !== undefined) this.raiseLower(sentAtMs - openedAtMs);
      }
      return;
    }
    if (this.burstFromMs !== undefined && sentAtMs >= this.burstFromMs) this.burstRefused = true;
    const first = this.chain[0];
    if (first !== undefined && sentAtMs < first) return; // an answer from before the chain
    this.refusedAtMs = sentAtMs;
    this.refusedWithinPlaced =
      sentAtMs >= this.openedByMs && sentAtMs < this.openedByMs + this.upperMs;
    this.successesSinceRefusal = 0;
    if (pacedPerSecond > this.provenPerSecond && this.provenPerSecond > 0) this.searchRefusals += 1;
    // refused above the slacked pace but within B per U: U read short (it is timed by send
    // times) or the machine ran late, which the slack absorbs: it comes back for good. The
    // refused window's bounds say whether the model itself still stands
    if (pacedPerSecond <= this.provenPerSecond && pacedPerSecond > this.slackedPerSecond) {
      this.slackNeeded = true;
      return;
    }
    // refused at the pace the model proved safe: the limit is not that fixed window (or fell)
    if (pacedPerSecond <= this.provenPerSecond) this.forget();
  }

  /**
   * The pace that searches the window's length while L and U disagree (docs/ARCHITECTURE.md, "A
   * hidden fixed window"), requests per second (0: none): the budget per a length `SEARCH_STEP`
   * below U, or the geometric middle of L and U if higher; the whole budget while U is more than
   * that step above L (so B + 1 successes span the searched length and each window's proof lowers
   * U by the whole step), the budget less the pacer's slack closer in (where U is most likely the
   * window read a little short, and the whole budget would only draw a refusal). At B per U no
   * window ever refuses and no span of B + 1 successes is shorter than U, so neither bound moves
   * again; at this pace B + 1 successes in a row within the shorter length prove it (U falls to it), and a
   * refusal names its window's opening (the oldest of its B successes) and raises L to near it.
   * At most `SEARCH_REFUSALS` refusals per run are spent on it.
   */
  private searchPerSecond(workLeft: number | undefined): number {
    if (this.searchRefusals >= SEARCH_REFUSALS || this.lowerMs <= 0) return 0;
    // one more refusal keeps the run's within `SEARCH_REFUSAL_SHARE` of its requests (those
    // through and, when known, those left): the targets allow 2%, the search a little over half of that
    const requests = this.successes + (workLeft ?? 0);
    if (this.refusals + 1 > SEARCH_REFUSAL_SHARE * requests) return 0;
    if (this.refusedAtMs !== undefined || this.slackedPerSecond <= 0) return 0;
    // a count of a few may be a token bucket drained to a request or two per refill: no window
    const budget = this.budget ?? 0;
    if (budget < MIN_TIMED_BUDGET) return 0;
    // within half a request per window: closer than the pacer's slack
    if (this.upperMs <= this.lowerMs * (1 + 0.5 / budget)) return 0;
    const searchMs = Math.max(
      Math.sqrt(this.lowerMs * this.upperMs),
      this.upperMs / (1 + SEARCH_STEP),
    );
    const wide = this.upperMs > this.lowerMs * (1 + SEARCH_STEP); // far from known: the whole step
    return wide ? budget / (searchMs / 1000) : (this.slackedPerSecond * this.upperMs) / searchMs;
  }

  /**
   * Whether the pacer's slack may go: the window is settled, `SLACK_PROOF_WINDOWS` budgets' worth
   * of successes in a row (and `SLACK_PROOF_MIN_REQUESTS`) went through with none sent early,
   * and no refusal ever came at the full B per U.
   */
  private slackProven(settled: boolean, budget: number): boolean {
    return (
      settled &&
      !this.slackNeeded &&
      Math.min(this.successesSinceRefusal, this.punctual) >=
        Math.max(SLACK_PROOF_WINDOWS * budget, SLACK_PROOF_MIN_REQUESTS)
    );
  }

  /**
   * The pacer lets a request go early after a late one (its burst): then B + 1 requests can
   * fall within U at B per U. A send closer to the one before than B per U spaces them shows the
   * machine was late lately, and the proof starts over. Answers out of send order say nothing.
   */
  private notePunctuality(sentAtMs: number): void {
    if (sentAtMs < this.lastSentAtMs) return;
    const gapMs = sentAtMs - this.lastSentAtMs;
    this.lastSentAtMs = sentAtMs;
    const budget = this.fittedBudget;
    const spacingMs =
      budget !== undefined && Number.isFinite(this.upperMs) ? this.upperMs / budget : Infinity;
    this.punctual = gapMs >= spacingMs * PUNCTUAL_RATIO ? this.punctual + 1 : 0;
  }

  /**
   * Places a success (not the first after a refusal, which opens a window) by its send time: U or
   * more after the latest send that may have opened the current window, it is in the next, which
   * opened with it or with a success since `nextFromMs`; more than L after the earliest, it may be
   * in the next (counted in both); otherwise in the current one. Counts err high, never low.
   */
  private placeSuccess(sentAtMs: number): void {
    if (sentAtMs >= this.openedByMs + this.upperMs) {
      const fromMs = Math.min(this.nextFromMs ?? sentAtMs, sentAtMs);
      this.openWindow(fromMs, sentAtMs, (this.nextFromMs === undefined ? 0 : this.inNext) + 1);
      return;
    }
    if (sentAtMs >= this.openedFromMs) this.inWindow += 1;
    if (sentAtMs > this.openedFromMs + this.lowerMs) {
      this.nextFromMs = Math.min(this.nextFromMs ?? sentAtMs, sentAtMs);
      this.inNext += 1;
    }
  }

  private openWindow(fromMs: number, byMs: number, successes: number): void {
    this.openedFromMs = fromMs;
    this.openedByMs = byMs;
    this.inWindow = successes;
    this.nextFromMs = undefined;
    this.inNext = 0;
  }

  /** When the window that refused opened: at the oldest of the last B successes, if known. */
  private refusedWindowOpenedAtMs(): number | undefined {
    const budget = this.fittedBudget;
    if (budget === undefined || this.chain.length < budget) return undefined;
    return this.chain[this.chain.length - budget];
  }

  /** The first success after a refusal (sent at `openedAtMs`): read the window it closed. */
  private closeRefusedWindow(openedAtMs: number): void {
    const refusedAtMs = this.refusedAtMs ?? openedAtMs;
    const count = this.chain.length;
    if (this.chainOpens && count < (this.budget ?? Infinity)) {
      // fewer successes since a known opening than before: not that window, or it shrank
      if (this.fittedBudget !== undefined && this.provenPerSecond > 0) {
        this.fallenFromPerSecond = this.provenPerSecond;
      }
      this.budget = count;
      this.confirmations = count > 0 ? 1 : 0;
      this.lowerMs = 0;
      this.upperMs = Infinity;
    } else if (this.chainOpens && count === this.budget) {
      this.confirmations += 1;
    } else if (this.chainOpens && this.confirmations < 2 && count > (this.budget ?? Infinity)) {
      // more successes since a known opening than one unconfirmed count: that window was shared
      // (the limits read spends a request of the first), and its count is no budget. (Once two
      // counts agree, a larger one spans several windows the pace did not fill)
      this.budget = count;
      this.confirmations = 1;
      this.lowerMs = 0;
      this.upperMs = Infinity;
    } else if (this.budget === undefined) {
      return; // nothing known to read it by
    }
    const windowOpenedAtMs = this.refusedWindowOpenedAtMs();
    if (windowOpenedAtMs === undefined) {
      // one count so far, from a known opening: the window lasted no longer than until this
      // success (U), which times the next refusal at that count (`refusedWindowClosedByMs`);
      // L waits for the model to fit
      if (this.chainOpens && count === this.budget) {
        this.tightenUpper(openedAtMs - (this.chain[0] ?? 0));
      }
      return;
    }
    this.raiseLower(refusedAtMs - windowOpenedAtMs);
    this.tightenUpper(openedAtMs - windowOpenedAtMs);
  }

  /** Among the last 2B + 1 successes in a row a window opened and closed within B + 1 of them. */
  private boundFromChain(): void {
    const budget = this.budget;
    if (budget === undefined) {
      if (this.chain.length > MAX_CHAIN) this.chain.shift();
      return;
    }
    const n = this.chain.length;
    if (this.chainOpens && n === budget + 1) {
      this.tightenUpper((this.chain[budget] ?? 0) - (this.chain[0] ?? 0));
    }
    if (n >= 2 * budget + 1 && this.confirmations >= 2) {
      const from = n - 2 * budget;
      let longestMs = 0;
      for (let j = from; j < from + budget; j += 1) {
        longestMs = Math.max(longestMs, (this.chain[j + budget] ?? 0) - (this.chain[j] ?? 0));
      }
      this.tightenUpper(longestMs);
    }
    if (n > 2 * budget + 1) {
      this.chain.splice(0, n - (2 * budget + 1));
      this.chainOpens = false;
    }
  }

  private tightenUpper(spanMs: number): void {
    if (!(spanMs > 0)) return;
    this.upperMs = Math.min(this.upperMs, spanMs);
    this.checkBounds();
  }

  private raiseLower(spanMs: number): void {
    this.lowerMs = Math.max(this.lowerMs, spanMs);
    this.checkBounds();
  }

  /** A refusal later than a proven closing contradicts the model: it starts over. */
  private checkBounds(): void {
    if (this.lowerMs >= this.upperMs) this.forget();
  }

  private forget(): void {
    this.confirmations = 0;
    this.lowerMs = 0;
    this.upperMs = Infinity;
    this.provenPerSecond = 0;
    this.slackedPerSecond = 0;
  }
}

/**
 * The fewest successes in a cycle whose count times a budget's renewal (a window's closing here,
 * `RenewalSearch`'s in hidden-pause.ts): a count of a few proves no fixed window, since a token
 * bucket drained to a request or two per refill repeats it by chance.
 */
export const MIN_TIMED_BUDGET = 10;
/** How far below U the search for the window's length paces (`searchPerSecond`). */
const SEARCH_STEP = 0.03;
/** Refusals a run spends on that search. */
const SEARCH_REFUSALS = 2;
/** The share of the run's requests its refusals may reach with the search's next one. */
const SEARCH_REFUSAL_SHARE = 0.0125;
/** Budgets' worth of successes in a row at the slacked pace before the slack may go. */
const SLACK_PROOF_WINDOWS = 2;
/**
 * And at least this many, as a probe's measure takes (docs/ARCHITECTURE.md): on a budget of one
 * or two the slack is a third to half the pace, so dropping it is a probe, not a margin, and a
 * token bucket drained to one request per refill fits such a window; two of them prove nothing.
 */
const SLACK_PROOF_MIN_REQUESTS = 10;
/** A send this share of B per U's spacing after the one before is on time (float rounding). */
const PUNCTUAL_RATIO = 0.98;
/** Successes kept before any budget is known. */
const MAX_CHAIN = 4096;
/** U within this factor of L: the window's length is known, and a faster pace only draws 429s. */
const SETTLED_RATIO = 1.05;
/**
 * Budgets' worth of successes without a refusal before a settled window lets the controller
 * probe above it for a budget that rose: at most one refusal per this many windows.
 */
const RISE_PROBE_WINDOWS = 8;
