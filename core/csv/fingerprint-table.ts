/**
 * A compact hash table of string fingerprints, for duplicate contact ids in files of millions
 * of rows: 6 bytes per slot in typed arrays (11 when tracking rows) instead of ~60 bytes per
 * string in a Set. Optionally stores per fingerprint a count (saturating at 255) and the last
 * row number.
 *
 * Layout (quotienting): the table has 2^k slots and an id's home slot is the top k bits of its
 * 64-bit hash, so a slot need not store those bits. It stores the next 10 bits of the hash's
 * high word and all 32 bits of its low word (`low`), and the id's distance from its home slot
 * (`tail`: 10 hash bits and 6 bits of distance + 1, 0 for an empty slot). The fingerprint an id
 * is told apart by is so k + 42 bits of the hash (at most 64), 2^k being the table's size when
 * it was made (growth keeps the same bits): two different ids share one with probability
 * ~n²/2^(k+43) ≤ n/2⁴³ at the presized load (≈2.4·10⁻⁷ for 3M ids, as with the former 8-byte
 * slots; ≈5·10⁻⁸ for 1M). Robin Hood linear probing keeps the slots of one cluster in home
 * order, which bounds distances (a lookup stops at the first slot whose entry is closer to its
 * home than the probe) and keeps them small. An entry whose distance the 6 bits cannot hold
 * (ids built to share a hash prefix; random ones do not get there) goes to a Map instead.
 */
export class FingerprintTable {
  private low: Uint32Array;
  private tail: Uint16Array;
  private counts: Uint8Array | undefined;
  private lastRows: Uint32Array | undefined;
  private size = 0;
  private overflow: Map<string, OverflowEntry> | undefined;
  /** log2 of the capacity. */
  private bits: number;
  /** The bits of the hash's high word the fingerprint keeps (fixed at construction). */
  private readonly highMask: number;

  /**
   * @param trackRows also keep a count and the last row number per id (keep-last, reject-all)
   * @param expectedIds sizes the table up front (e.g. from the file size) so it need not grow:
   *   growing briefly holds the old and new arrays, the largest memory peak of a big file.
   */
  constructor(
    private readonly trackRows: boolean,
    expectedIds = 0,
  ) {
    const capacity = capacityFor(expectedIds);
    this.bits = Math.log2(capacity);
    const highBits = Math.min(32, this.bits + TAIL_HASH_BITS);
    this.highMask = highBits === 32 ? 0xffffffff : ~(0xffffffff >>> highBits) >>> 0;
    this.low = new Uint32Array(capacity);
    this.tail = new Uint16Array(capacity);
    if (trackRows) {
      this.counts = new Uint8Array(capacity);
      this.lastRows = new Uint32Array(capacity);
    }
  }

  /** Bytes a table presized for `expectedIds` allocates (before any growth), for reports. */
  static bytesFor(expectedIds: number, trackRows: boolean): number {
    return capacityFor(expectedIds) * (trackRows ? 11 : 6);
  }

  /** Number of distinct fingerprints held. */
  get distinct(): number {
    return this.size;
  }

  /** Adds the id; returns true when it was not there before. Records count and row if tracking. */
  add(id: string, rowNumber = 0): boolean {
    if ((this.size + 1) * 5 > this.low.length * 4) this.grow();
    fingerprint(id);
    const high = (fingerprintHigh & this.highMask) >>> 0;
    const low = fingerprintLow;
    let slot = this.find(high, low);
    if (slot < 0) {
      const overflowing = this.overflow?.get(overflowKey(high, low));
      if (overflowing) {
        overflowing.count = Math.min(255, overflowing.count + 1);
        overflowing.lastRow = rowNumber;
        return false;
      }
      this.size += 1;
      slot = this.place(high >>> (32 - this.bits), tailHash(high, this.bits), low, 1, rowNumber);
      if (slot < 0) this.spill(high, low, 1, rowNumber);
      return true;
    }
    if (this.counts && this.lastRows) {
      if (this.counts[slot]! < 255) this.counts[slot] = this.counts[slot]! + 1;
      this.lastRows[slot] = rowNumber;
    }
    return false;
  }

  /** How many times the id was added (0 when never; saturates at 255). Needs trackRows. */
  count(id: string): number {
    const slot = this.lookup(id);
    if (!this.trackRows) return 0;
    return slot < 0 ? (this.spilled()?.count ?? 0) : this.counts![slot]!;
  }

  /** The row number last added with the id (0 when never). Needs trackRows. */
  lastRow(id: string): number {
    const slot = this.lookup(id);
    if (!this.trackRows) return 0;
    return slot < 0 ? (this.spilled()?.lastRow ?? 0) : this.lastRows![slot]!;
  }

  /** The id's slot, or -1 (its fingerprint left in fingerprintHigh/Low for `spilled`). */
  private lookup(id: string): number {
    fingerprint(id);
    fingerprintHigh = (fingerprintHigh & this.highMask) >>> 0;
    return this.find(fingerprintHigh, fingerprintLow);
  }

  /** The spilled entry of the fingerprint `lookup` just missed in the slots. */
  private spilled(): OverflowEntry | undefined {
    return this.overflow?.get(overflowKey(fingerprintHigh, fingerprintLow));
  }

  /**
   * Keeps an entry the slots cannot (its distance, or one it would push, past 6 bits) in a Map
   * instead. Random ids at load 4/5 never get there (the longest distance over 3M ids is ~30);
   * ids built to share a hash prefix would, and doubling the table does not part them (their
   * homes stay side by side), so they cost a Map entry each rather than the table's growth.
   */
  private spill(high: number, low: number, count: number, lastRow: number): void {
    this.overflow ??= new Map();
    this.overflow.set(overflowKey(high, low), { count, lastRow });
  }

  /** The slot holding the fingerprint, or -1. */
  private find(high: number, low: number): number {
    const mask = this.low.length - 1;
    const wanted = tailHash(high, this.bits);
    let slot = high >>> (32 - this.bits);
    for (let distance = 1; ; distance += 1) {
      const tail = this.tail[slot]!;
      // Empty, or an entry nearer its home than we are to ours: Robin Hood order says the
      // fingerprint would have been placed before it.
      if ((tail & DISTANCE_MASK) < distance) return -1;
      if ((tail & DISTANCE_MASK) === distance && tail >>> DISTANCE_BITS === wanted) {
        if (this.low[slot] === low) return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Inserts an entry known to be absent, in Robin Hood order: at the first slot from its home
   * whose entry is nearer its own home (or empty), the rest of the cluster moved one slot on.
   * Returns the entry's slot, or -1 (nothing changed) when a distance would not fit in 6 bits.
   */
  private place(home: number, hash: number, low: number, count: number, lastRow: number): number {
    const mask = this.low.length - 1;
    let slot = home;
    let distance = 1;
    while ((this.tail[slot]! & DISTANCE_MASK) >= distance) {
      slot = (slot + 1) & mask;
      distance += 1;
    }
    if (distance > MAX_DISTANCE) return -1;
    // The cluster's rest, up to the first empty slot, moves one on: check it can.
    let end = slot;
    while (this.tail[end] !== 0) {
      if ((this.tail[end]! & DISTANCE_MASK) === MAX_DISTANCE) return -1;
      end = (end + 1) & mask;
    }
    const { counts, lastRows } = this;
    while (end !== slot) {
      const from = (end - 1) & mask;
      this.tail[end] = this.tail[from]! + 1;
      this.low[end] = this.low[from]!;
      if (counts && lastRows) {
        counts[end] = counts[from]!;
        lastRows[end] = lastRows[from]!;
      }
      end = from;
    }
    this.tail[slot] = (hash << DISTANCE_BITS) | distance;
    this.low[slot] = low;
    if (counts && lastRows) {
      counts[slot] = count;
      lastRows[slot] = lastRow;
    }
    return slot;
  }

  /** Doubles the capacity, re-placing every entry. */
  private grow(): void {
    const { low, tail, counts, lastRows, bits } = this;
    const capacity = low.length * 2;
    this.bits = bits + 1;
    this.low = new Uint32Array(capacity);
    this.tail = new Uint16Array(capacity);
    this.counts = counts ? new Uint8Array(capacity) : undefined;
    this.lastRows = lastRows ? new Uint32Array(capacity) : undefined;
    const mask = low.length - 1;
    for (let slot = 0; slot < low.length; slot += 1) {
      const entry = tail[slot]!;
      if (entry === 0) continue;
      // The entry's fingerprint: its home slot's bits, then its 10 stored hash bits; the new
      // home takes one more bit from the stored ones.
      const home = (slot - (entry & DISTANCE_MASK) + 1) & mask;
      const hash = entry >>> DISTANCE_BITS;
      const count = counts?.[slot] ?? 0;
      const lastRow = lastRows?.[slot] ?? 0;
      const newHome = (home << 1) | (hash >>> (TAIL_HASH_BITS - 1));
      const newHash = (hash << 1) & TAIL_HASH_MASK;
      if (this.place(newHome, newHash, low[slot]!, count, lastRow) < 0) {
        this.spill(highWord(newHome, newHash, this.bits), low[slot]!, count, lastRow);
      }
    }
  }
}

interface OverflowEntry {
  count: number;
  lastRow: number;
}

function overflowKey(high: number, low: number): string {
  return `${high}:${low}`;
}

/** Bits of the high word stored in a slot's tail beside its distance. */
const TAIL_HASH_BITS = 10;
const TAIL_HASH_MASK = (1 << TAIL_HASH_BITS) - 1;
/** Bits of a slot's tail for its distance from home + 1 (0: empty). */
const DISTANCE_BITS = 6;
const DISTANCE_MASK = (1 << DISTANCE_BITS) - 1;
/** The largest distance + 1 a tail holds; Robin Hood at load 4/5 stays far below it. */
const MAX_DISTANCE = DISTANCE_MASK;

/** The (masked) high word back from a home slot of `bits` bits and its 10 stored bits. */
function highWord(home: number, hash: number, bits: number): number {
  const shift = 32 - bits - TAIL_HASH_BITS;
  return ((home << (32 - bits)) | (shift >= 0 ? hash << shift : hash >>> -shift)) >>> 0;
}

/** The 10 bits of the (masked) high word after the home slot's `bits`. */
function tailHash(high: number, bits: number): number {
  return (high << bits) >>> (32 - TAIL_HASH_BITS);
}

/**
 * A power of two keeping the load at most 4/5 for `expectedIds` (at least 2^16; presizing stops
 * at 2^23, beyond that the table grows). 4/5 rather than the usual 3/4: on million-row files
 * memory is the constraint, and Robin Hood linear probing stays cheap at that load, while 3/4
 * doubles the table for any file just over a power-of-two boundary (3M ids would take 8M slots
 * instead of 4M).
 */
function capacityFor(expectedIds: number): number {
  let capacity = 1 << 16;
  while (capacity < 1 << 23 && expectedIds * 5 > capacity * 4) capacity *= 2;
  return capacity;
}

// fingerprint()'s result, in module variables rather than a returned pair: this runs once per
// row of million-row files, and a pair would be one more short-lived allocation per row.
let fingerprintHigh = 0;
let fingerprintLow = 0;

/** The id's 64-bit hash as [high, low] words (tests build colliding home slots from it). */
export function idHash(id: string): [number, number] {
  fingerprint(id);
  return [fingerprintHigh, fingerprintLow];
}

/** Two independent 32-bit hashes of the string (cyrb53's mixing). */
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
}
