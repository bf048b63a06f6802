import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActiveTimeReader } from '../../../../core/services/run-active-time';

let folder: string;
let journal: string;
const T0 = Date.parse('2026-01-31T14:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const marker = (event: string, seconds: number) =>
  `${JSON.stringify({ t: 'session', event, at: at(seconds), rowsRead: 10 })}\n`;
const batch = (id: string) =>
  `${JSON.stringify({ t: 'uploaded', batch: id, rows: [[1, 1000]] })}\n`;
/** Sets the journal's last write, which ends a session still open. */
const touch = (seconds: number) => utimesSync(journal, new Date(), new Date(T0 + seconds * 1000));

beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-active-time-'));
  journal = path.join(folder, 'journal.ndjson');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('active time from the journal', () => {
  it('sums each session from its opening to its closing marker; pauses do not count', () => {
    writeFileSync(
      journal,
      marker('start', 0) +
        batch('a') +
        marker('pause', 10) +
        marker('resume', 20) +
        batch('b') +
        marker('end', 25),
    );
    const read = createActiveTimeReader();
    expect(read(journal)).toEqual({
      activeMs: 15_000,
      firstStartAt: at(0),
      uploadedRows: 2000,
      sessionOpen: false,
    });
  });

  it('adds a later retry’s time instead of replacing the run’s, reading only what was appended', () => {
    writeFileSync(journal, marker('start', 0) + batch('a') + marker('end', 30));
    touch(30);
    const read = createActiveTimeReader();
    expect(read(journal)?.activeMs).toBe(30_000);
    // A retry an hour later: the hour between is not sending time.
    appendFileSync(journal, marker('retry', 3600) + batch('r'));
    touch(3602);
    expect(read(journal)).toEqual({
      activeMs: 32_000,
      firstStartAt: at(0),
      uploadedRows: 2000,
      sessionOpen: true,
    });
    appendFileSync(journal, marker('end', 3603));
    touch(3603);
    expect(read(journal)?.activeMs).toBe(33_000);
  });

  it('counts an open session until the last write, and nothing for one a killed process left open', () => {
    writeFileSync(
      journal,
      marker('start', 0) + batch('a') + marker('resume', 600) + batch('b') + batch('c'),
    );
    touch(640);
    expect(createActiveTimeReader()(journal)?.activeMs).toBe(40_000);
  });

  it('waits for a line still being written, and knows no time for a run without a journal', () => {
    writeFileSync(journal, marker('start', 0) + '{"t":"session","event":"end","at":"');
    touch(5);
    const read = createActiveTimeReader();
    expect(read(journal)?.activeMs).toBe(5_000);
    appendFileSync(journal, `${at(4)}"}\n`);
    touch(9);
    expect(read(journal)?.activeMs).toBe(4_000);
    expect(read(path.join(folder, 'missing.ndjson'))).toBeUndefined();
  });
});
