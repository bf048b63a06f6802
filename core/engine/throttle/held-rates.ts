/**
 * The last few loss rates the pace held for a whole climb without a 429 (proven rates, a
 * ring): a loss well below one says the limit moved down from there, and may move back
 * (docs/ARCHITECTURE.md, "The throttle").
 */
export class HeldRates {
  private readonly rates: number[];
  private count = 0;

  constructor(size = 4) {
    this.rates = new Array<number>(size).fill(0);
  }

  /** The pace held `ratePerSecond` for a whole climb: it is proven. */
  add(ratePerSecond: number): void {
    this.rates[this.count % this.rates.length] = ratePerSecond;
    this.count += 1;
  }

  /** The highest of the last few proven rates, per second; 0 if none. */
  get highPerSecond(): number {
    let high = 0;
    for (const rate of this.rates) high = Math.max(high, rate);
    return high;
  }
}
