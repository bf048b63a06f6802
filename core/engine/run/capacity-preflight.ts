import { createReadStream } from 'node:fs';
import { detectSourceFormat } from '../../csv';
import type { ContactListJson } from '../../genesys/contact-list-reader';
import { readContactsPerListMax, type OrgLimitsReadOptions } from '../../genesys/org-limits';
import { countRows } from './count-file-rows';
import { countOf } from '../../text/count';

/** A run refused before it starts because the list cannot take its rows. */
export class ListCapacityError extends Error {
  readonly code = 'list-capacity';
  constructor(
    message: string,
    readonly listSize: number,
    readonly rowsToAdd: number,
    readonly capacity: number,
  ) {
    super(message);
    this.name = 'ListCapacityError';
  }
}

/** What the check needs: the list as the run read it (with `size`) and the CSV file. */
export interface CapacityCheck {
  list: ContactListJson;
  contactListId: string;
  csvPath: string;
  /** Where to read the org's cap per list (`outbound` limits); the documented 1,000,000 otherwise. */
  limits: OrgLimitsReadOptions;
  /** The sheet of an .xlsx workbook the run reads (default: the one `openCsv` picks). */
  sheet?: string;
  /**
   * The file's data rows when already counted (the app's whole-file check, `sluice upload`'s own
   * count): the file is not read again.
   */
  countedRows?: number;
}

/**
 * Refuses a new run whose rows cannot fit: the list's size plus the file's rows over the org's
 * contacts-per-list cap (docs/GENESYS.md#list-capacity). Genesys would refuse the writes past
 * the cap anyway, after part of the file was loaded. Rows whose ids the list already holds only
 * update, so the file's row count is an upper bound: the message says so. Does nothing when
 * Genesys gave no size. Takes the rows already counted when the caller has them; else, for a
 * CSV, reads the file's line count first (fast) and parses it only when that bound does not
 * already fit; a workbook's bytes are compressed, so its sheet's rows are always read.
 */
export async function checkListCapacity(check: CapacityCheck): Promise<void> {
  const size = check.list.size;
  if (typeof size !== 'number' || !Number.isFinite(size)) return;
  const capacity = await readContactsPerListMax(check.limits);
  if (
    check.countedRows === undefined &&
    (await detectSourceFormat(check.csvPath)) === 'csv' &&
    size + (await countLines(check.csvPath)) <= capacity
  )
    return;
  const rows =
    check.countedRows ??
    (await countRows(check.csvPath, check.sheet ? { sheet: check.sheet } : {}));
  if (size + rows <= capacity) return;
  const name = typeof check.list.name === 'string' ? `"${check.list.name}"` : check.contactListId;
  const n = (value: number) => value.toLocaleString('en-US');
  throw new ListCapacityError(
    `Contact list ${name} holds ${n(size)} contacts and this file has ${countOf(rows, 'row')}: together they pass the ${n(capacity)} contacts a list may hold in this org, and Genesys would refuse the rows past that. Load the file into another list, delete contacts the campaign no longer needs, or split the file. (Rows whose contact ids are already in the list only update them; if most do, load a smaller part first.)`,
    size,
    rows,
    capacity,
  );
}

/** Line breaks in the file: at least the number of data rows (quoted line breaks only add). */
async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1))
      lines += 1;
  }
  return lines + 1;
}
