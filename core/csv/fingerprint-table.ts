/**
 * A compact hash table of 64-bit string fingerprints, for duplicate contact ids in files of
 * millions of rows: 8–13 bytes per slot in typed arrays instead of ~60 bytes per string in a
 * Set. Two different ids share a fingerprint with probability ~n²/2⁶⁵ (≈2·10⁻⁷ for 3M rows).
 * Optionally stores per fingerprint a count (saturating at 255) and the last row number.
 */
export class FingerprintTable {
  private high: Uint32Array;
  private low: Uint32Array;
  private counts: Uint8Array | undefined;
  private lastRows: Uint32Array | undefined;
  private size = 0;

  /**
   * @param trackRows also keep a count and the last row number per id (keep-last, reject-all)
   * @param expectedIds sizes the table up front (e.g. from the file size) so it need not grow:
   *   growing briefly holds the old and new arrays, the largest memory peak of a big file.
   */
  constructor(
    private readonly trackRows: boolean,
    expectedIds = 0,
  ) {
    const initialCapacity = capacityFor(expectedIds);
    this.high = new Uint32Array(initialCapacity);
    this.low = new Uint32Array(initialCapacity);
    if (trackRows) {
      this.counts = new Uint8Array(initialCapacity);
      this.lastRows = new Uint32Array(initialCapacity);
    }
  }

  /** Bytes a table presized for `expectedIds` allocates (before any growth), for reports. */
  static bytesFor(expectedIds: number, trackRows: boolean): number {
    return capacityFor(expectedIds) * (trackRows ? 13 : 8);
  }

  /** Number of distinct fingerprints held. */
  get distinct(): number {
    return this.size;
  }

  /** Adds the id; returns true when it was not there before. Records count and row if tracking. */
  add(id: string, rowNumber = 0): boolean {
    if ((this.size + 1) * 5 > this.high.length * 4) this.grow();
    fingerprint(id);
    const high = fingerprintHigh;
    const low = fingerprintLow;
    const slot = this.find(high, low);
    const isNew = this.high[slot] === 0 && this.low[slot] === 0;
    if (isNew) {
      this.high[slot] = high;
      this.low[slot] = low;
      this.size += 1;
    }
    if (this.counts && this.lastRows) {
      if (this.counts[slot]! < 255) this.counts[slot] = this.counts[slot]! + 1;
      this.lastRows[slot] = rowNumber;
    }
    return isNew;
  }

  /** How many times the id was added (0 when never; saturates at 255). Needs trackRows. */
  count(id: string): number {
    fingerprint(id);
    const slot = this.find(fingerprintHigh, fingerprintLow);
    return this.counts?.[slot] ?? 0;
  }

  /** The row number last added with the id (0 when never). Needs trackRows. */
  lastRow(id: string): number {
    fingerprint(id);
    const slot = this.find(fingerprintHigh, fingerprintLow);
    return this.lastRows?.[slot] ?? 0;
  }

  private find(high: number, low: number): number {
    const mask = this.high.length - 1;
    let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
    while (this.high[slot] !== 0 || this.low[slot] !== 0) {
      if (this.high[slot] === high && this.low[slot] === low) return slot;
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private grow(): void {
    const { high, low, counts, lastRows } = this;
    const capacity = high.length * 2;
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.counts = counts ? new Uint8Array(capacity) : undefined;
    this.lastRows = lastRows ? new Uint32Array(capacity) : undefined;
    for (let index = 0; index < high.length; index += 1) {
      if (high[index] === 0 && low[index] === 0) continue;
      const slot = this.find(high[index]!, low[index]!);
      this.high[slot] = high[index]!;
      this.low[slot] = low[index]!;
      if (this.counts && counts) this.counts[slot] = counts[index]!;
      if (this.lastRows && lastRows) this.lastRows[slot] = lastRows[index]!;
    }
  }
}

/**
 * A power of two keeping the load at most 4/5 for `expectedIds` (at least 2^16; presizing stops
 * at 2^23, beyond that the table grows). 4/5 rather than the usual 3/4: on million-row files
 * memory is the constraint, and linear probing over two typed arrays stays cheap at that load
 * (~13 probes for a miss, against ~8.5 at 3/4), while 3/4 doubles the table for any file just
 * over a power-of-two boundary (3M ids would take 8M slots instead of 4M).
 */
function capacityFor(expectedIds: number): number {
  let capacity = 1 << 16;
  while (capacity < 1 << 23 && expectedIds * 5 > capacity * 4) capacity *= 2;
  return capacity;
}

// fingerprint()'s result, in module variables rather than a returned pair: this runs once per
// row of million-row files, and a pair would be one more short-lived allocation per row.
let fingerprintHigh = 0;
let fingerprintLow = 1;

/** Two independent 32-bit hashes of the string (cyrb53's mixing), never both zero. */
function fingerprint(text: string): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  fingerprintHigh = h2 >>> 0;
  fingerprintLow = h1 >>> 0;
  if (fingerprintHigh === 0 && fingerprintLow === 0) fingerprintLow = 1;
}
