import { countOf } from '../../text/count';
/**
 * Turns the `failureReason` code of a FAILED import into a sentence a consultant can act on
 * (docs/GENESYS.md#import-failure-reasons). Genesys publishes no list of codes: the ones named
 * here are those docs/GENESYS.md records; an unknown code is shown as Genesys gave it.
 */

/** What the run knows about the file it uploaded, to word the failure. */
export interface ImportFailureContext {
  /** Columns of the list when the run started. */
  listColumns: readonly string[];
  /** Columns of the uploaded file. */
  fileColumns: readonly string[];
  /** The file's id column (`contactIdName`). */
  idColumn: string;
  /** Data rows in the file. */
  rows: number;
  /** The list's size just before the upload, when Genesys said. */
  sizeBefore: number | undefined;
}

/** Columns per contact list (docs/GENESYS.md#list-value-limits). */
export const MAX_LIST_COLUMNS = 50;

/** The columns of the file the list does not have (compared case-insensitively, as Genesys does). */
export function addedColumns(
  listColumns: readonly string[],
  fileColumns: readonly string[],
): string[] {
  const known = new Set(listColumns.map((column) => column.toLowerCase()));
  return fileColumns.filter((column) => !known.has(column.toLowerCase()));
}

/** The sentence for one `failureReason` code. */
export function importFailureSentence(code: string, context: ImportFailureContext): string {
  switch (code) {
    case 'CONTACT_COLUMNS_LIMIT_EXCEEDED': {
      const added = addedColumns(context.listColumns, context.fileColumns);
      const names = added.length > 0 ? ` (${added.map((c) => `"${c}"`).join(', ')})` : '';
      return `the file adds ${countOf(added.length, 'column')}${names} to a list of ${context.listColumns.length}; Genesys allows ${MAX_LIST_COLUMNS}. Remove unused columns from the list in Genesys, or map the contact id to a column the list already has, then retry the failed rows`;
    }
    case 'CONTACT_LIST_SIZE_LIMIT_EXCEEDED': {
      const before =
        context.sizeBefore === undefined
          ? ''
          : ` (it held ${context.sizeBefore.toLocaleString('en-US')} contacts before this file of ${countOf(context.rows, 'row')})`;
      return `the contact list would pass the 1,000,000 contacts Genesys allows per list${before}. Delete contacts the campaign no longer needs or load into another list, then retry the failed rows`;
    }
    case 'ORG_CONTACT_LIMIT_EXCEEDED':
      return `the organization would pass the 5,000,000 contacts Genesys allows across all its lists. Delete lists or contacts no longer needed, then retry the failed rows`;
    case 'CONTACT_ID_COLUMN_NOT_FOUND':
      return `Genesys did not find the id column "${context.idColumn}" in the file. Check the mapping's contact id column, then retry the failed rows`;
    case 'DUPLICATE_COLUMN_NAMES':
      return `the file has two columns whose names differ only in upper and lower case, which Genesys refuses. Rename one column in the list or the mapping, then retry the failed rows`;
    default:
      return code;
  }
}
