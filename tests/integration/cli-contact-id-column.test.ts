import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectWrittenOnce } from '../support/exactly-once';
import { sluiceCliHarness } from '../support/sluice-cli-harness';
import { newList } from '../support/upload-fixtures';

// `sluice upload --id-column` with a header no list column reads: a CRM export's "CRM ID" is the
// contact id, so two people sharing a home phone stay two contacts on the Sandbox.
const cli = sluiceCliHarness('sluice-contact-id-cli-');
const { root } = cli;

describe('sluice upload --id-column with a CSV column the list lacks', () => {
  it('sends the CRM ids as contact ids, rejects the row without one, and accounts for every row', async () => {
    const box = await cli.startSandbox({ scenario: 'demo' });
    const listId = newList(box, 'CRM ids');
    const csv = join(root, 'crm.csv');
    writeFileSync(
      csv,
      [
        'CRM ID,FirstName,LastName,HomePhone',
        'CRM-1,Ann,Shared,+13175550100',
        'CRM-2,Bob,Shared,+13175550100',
        'CRM-3,Cy,Own,+13175550103',
        ',Dee,NoId,+13175550104',
        '',
      ].join('\n'),
    );
    const runDir = join(root, 'runs');
    const args = [
      ...['upload', '--csv', csv, '--list', listId, ...cli.target()],
      ...['--auto-map', '--id-column', 'CRM ID', '--run-dir', runDir, '--json'],
    ];
    const result = await cli.spawn(args).done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3); // one row rejected
    const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<
      string,
      number
    >;
    expect(outcome).toMatchObject({ rowsRead: 4, uploaded: 3, rejected: 1, failed: 0, skipped: 0 });
    expect(outcome.uploaded! + outcome.rejected! + outcome.failed! + outcome.skipped!).toBe(
      outcome.rowsRead,
    );
    expectWrittenOnce(
      box,
      listId,
      new Map([
        ['CRM-1', { FirstName: 'Ann', HomePhone: '+13175550100' }],
        ['CRM-2', { FirstName: 'Bob', HomePhone: '+13175550100' }],
        ['CRM-3', { FirstName: 'Cy', HomePhone: '+13175550103' }],
      ]),
      () => true,
    );
    const runId = readdirSync(runDir)[0]!;
    const rejected = readFileSync(join(runDir, runId, 'rejected-rows.csv'), 'utf8');
    expect(rejected).toContain('has no contact id: the CSV column “CRM ID” is empty');
  });

  it('refuses a header the file does not have before sending anything', async () => {
    const box = await cli.startSandbox({ scenario: 'demo' });
    const listId = newList(box, 'CRM ids');
    const csv = join(root, 'no-crm.csv');
    writeFileSync(csv, 'FirstName,HomePhone\nAnn,+13175550100\n');
    const result = await cli.spawn([
      ...['upload', '--csv', csv, '--list', listId, ...cli.target()],
      ...['--auto-map', '--id-column', 'CRM ID', '--run-dir', join(root, 'runs2'), '--json'],
    ]).done;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      '--id-column "CRM ID" is not a column of the file (its columns: FirstName, HomePhone).',
    );
    expect(box.inspect.contacts(listId)).toEqual([]);
  });
});
