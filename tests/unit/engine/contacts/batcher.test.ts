import { describe, expect, it } from 'vitest';
import {
  Batcher,
  batchBody,
  batchBytes,
  contactJson,
  splitBatch,
} from '../../../../core/engine/contacts/batcher';
import type { PendingRow } from '../../../../core/engine/types';

function row(rowNumber: number, value = 'x'): PendingRow {
  const contact = { id: `c${rowNumber}`, data: { Name: value } };
  return { rowNumber, contact, json: contactJson('list-1', contact) };
}

describe('Batcher', () => {
  it('closes a batch at the max contacts', () => {
    const batcher = new Batcher({ maxContacts: 3, maxBytes: 1_000_000 });
    const closed = [1, 2, 3, 4, 5, 6, 7].flatMap((n) => batcher.add(row(n)).full);
    expect(closed.map((b) => b.map((r) => r.rowNumber))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(batcher.flush()?.map((r) => r.rowNumber)).toEqual([7]);
    expect(batcher.flush()).toBeUndefined();
  });

  it('never exceeds the max bytes of the JSON body as sent', () => {
    const maxBytes = 700;
    const batcher = new Batcher({ maxContacts: 1000, maxBytes });
    const batches: PendingRow[][] = [];
    for (let n = 1; n <= 100; n += 1) batches.push(...batcher.add(row(n, 'é'.repeat(n % 17))).full);
    const last = batcher.flush();
    if (last) batches.push(last);
    expect(batches.flat().map((r) => r.rowNumber)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    for (const batch of batches) {
      const body = batchBody(batch);
      expect(Buffer.byteLength(body)).toBe(batchBytes(batch));
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maxBytes);
      expect(JSON.parse(body)).toHaveLength(batch.length);
    }
    // and it filled them: each batch plus the next row would not have fit
    for (let i = 0; i < batches.length - 1; i += 1) {
      const next = batches[i + 1]?.[0];
      if (next) expect(batchBytes([...(batches[i] ?? []), next])).toBeGreaterThan(maxBytes);
    }
  });

  it('reports a row too large to send alone', () => {
    const batcher = new Batcher({ maxContacts: 10, maxBytes: 100 });
    expect(batcher.add(row(1, 'y'.repeat(200))).tooLarge).toBe(true);
    expect(batcher.openRows).toBe(0);
  });

  it('bisects batches into halves that cover every row once', () => {
    expect(splitBatch([1, 2, 3, 4, 5])).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(splitBatch([1])).toEqual([[1], []]);
  });

  it('writes the WritableDialerContact shape with the deterministic id', () => {
    expect(JSON.parse(contactJson('L', { id: 'k1', data: { A: '1' } }))).toEqual({
      id: 'k1',
      contactListId: 'L',
      data: { A: '1' },
      callable: true,
    });
  });
});
