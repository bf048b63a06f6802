import { describe, expect, it } from 'vitest';
import {
  addedColumns,
  importFailureSentence,
  type ImportFailureContext,
} from '../../../../core/engine/import/import-failure';

const context = (over: Partial<ImportFailureContext> = {}): ImportFailureContext => ({
  listColumns: ['CrmId', 'Phone'],
  fileColumns: ['CrmId', 'Phone', 'SluiceContactId'],
  idColumn: 'SluiceContactId',
  rows: 1200,
  sizeBefore: 999_500,
  ...over,
});

describe('import failure reasons (docs/GENESYS.md#import-failure-reasons)', () => {
  it('finds the columns a file adds, ignoring case as Genesys does', () => {
    expect(addedColumns(['CrmId', 'Phone'], ['crmid', 'PHONE', 'Extra'])).toEqual(['Extra']);
  });

  it('words each known code with the numbers of this run', () => {
    expect(importFailureSentence('CONTACT_COLUMNS_LIMIT_EXCEEDED', context())).toMatch(
      /^the file adds 1 column \("SluiceContactId"\) to a list of 2; Genesys allows 50\./,
    );
    expect(
      importFailureSentence(
        'CONTACT_COLUMNS_LIMIT_EXCEEDED',
        context({ fileColumns: ['CrmId', 'Phone', 'A', 'B'] }),
      ),
    ).toMatch(/adds 2 columns \("A", "B"\) to a list of 2/);
    expect(importFailureSentence('CONTACT_LIST_SIZE_LIMIT_EXCEEDED', context())).toMatch(
      /1,000,000 contacts .* held 999,500 contacts before this file of 1,200 rows/,
    );
    expect(importFailureSentence('ORG_CONTACT_LIMIT_EXCEEDED', context())).toMatch(/5,000,000/);
    expect(importFailureSentence('CONTACT_ID_COLUMN_NOT_FOUND', context())).toMatch(
      /"SluiceContactId"/,
    );
    expect(importFailureSentence('DUPLICATE_COLUMN_NAMES', context())).toMatch(/case/);
  });

  it('shows an unknown code as Genesys gave it', () => {
    expect(importFailureSentence('SOMETHING_NEW', context())).toBe('SOMETHING_NEW');
  });
});
