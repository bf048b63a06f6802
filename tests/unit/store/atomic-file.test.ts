import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomicallySync } from '../../../core/store';
import { writeRowReports, writeSummary } from '../../../core/engine/run/run-files';
import type { RunSummary } from '../../../core/contract/runs';
import { plantPredictableTemp, UNTOUCHED } from '../../support/planted-symlink';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-atomic-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('writeFileAtomicallySync', () => {
  it('replaces the file and leaves no temporary file behind', () => {
    const target = path.join(folder, 'run.json');
    writeFileSync(target, 'old\n');
    writeFileAtomicallySync(target, 'new\n');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(folder)).toEqual(['run.json']);
  });

  it('does not follow a symlink planted under a guessable temporary name', () => {
    const target = path.join(folder, 'run.json');
    const victim = plantPredictableTemp(target);
    writeFileAtomicallySync(target, '{"ok":true}\n');
    expect(readFileSync(victim, 'utf8')).toBe(UNTOUCHED);
    expect(readFileSync(target, 'utf8')).toBe('{"ok":true}\n');
  });

  it('cleans up its temporary file when the rename fails', () => {
    // Renaming a file over a non-empty folder fails on every OS: the temporary file must go.
    const target = path.join(folder, 'a-folder');
    mkdirSync(target);
    writeFileSync(path.join(target, 'file'), '');
    expect(() => writeFileAtomicallySync(target, 'x')).toThrow();
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('run folder files', () => {
  it('summary.json and the row reports go through the exclusive writer', () => {
    const summaryFile = path.join(folder, 'summary.json');
    const failedFile = path.join(folder, 'failed-rows.csv');
    const victims = [plantPredictableTemp(summaryFile), plantPredictableTemp(failedFile)];
    writeSummary(folder, { runId: 'r1' } as unknown as RunSummary);
    writeRowReports(folder, [{ row: 2, contactId: 'c2', reason: 'HTTP 500', status: 500 }], []);
    for (const victim of victims) expect(readFileSync(victim, 'utf8')).toBe(UNTOUCHED);
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toEqual({ runId: 'r1' });
    expect(readFileSync(failedFile, 'utf8')).toContain('2,c2,HTTP 500,500');
  });
});
