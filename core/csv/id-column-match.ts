// Which CSV column looks like the customer's own id (a CRM export's "CRM ID", "Customer Number"),
// to suggest it as the contact id. Reads headers with auto-match's word rules (synonyms, noise).
import { canonicalTokens, normaliseName } from './auto-match';

/** Words that, next to "number"/"no", make a header a record number rather than a phone number. */
const RECORD_WORDS = new Set([
  'customer',
  'client',
  'account',
  'member',
  'contact',
  'crm',
  'record',
  'reference',
  'ref',
  'external',
  'lead',
  'person',
  'patient',
  'policy',
  'subscriber',
]);
/** Headers that say id outright, whatever else they say. */
const ID_WORDS = new Set(['id', 'uuid', 'guid']);
/** Words that rule a header out: it holds a way to reach someone, or a place. */
const NOT_AN_ID = new Set(['phone', 'mobile', 'email', 'fax', 'zip', 'address', 'work']);

/** A CSV column suggested as the contact id, with why. */
export interface IdHeaderSuggestion {
  header: string;
  /** In words, for the mapping screen: "looks like an id; its values are unique in the preview". */
  why: string;
}

/**
 * How much a header looks like a record id: 2 for an id word ("CRM ID", "Account ID",
 * "ExternalId", "GUID"), 1 for a record word with a number ("Customer Number", "Client No"),
 * 0 otherwise (phone and email columns never count).
 */
export function idHeaderScore(header: string): number {
  const words = header
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  const tokens = canonicalTokens(header);
  if (tokens.some((token) => NOT_AN_ID.has(token))) return 0;
  if (words.some((word) => ID_WORDS.has(word)) || tokens.includes('id')) return 2;
  if (ID_WORDS.has(normaliseName(header))) return 2;
  const numbered = words.some((word) => ['number', 'no', 'nr', 'num'].includes(word));
  if (numbered && words.some((word) => RECORD_WORDS.has(word))) return 1;
  return 0;
}

/**
 * The CSV column to suggest as the contact id: the header that looks most like an id
 * (`idHeaderScore`, first in file order on a tie) whose values in `sampleRows` (cells in header
 * order) are all filled and all different. Undefined when no header qualifies.
 */
export function suggestIdHeader(
  headers: readonly string[],
  sampleRows: ReadonlyArray<readonly string[]>,
): IdHeaderSuggestion | undefined {
  let best: { header: string; score: number } | undefined;
  headers.forEach((header, index) => {
    const score = idHeaderScore(header);
    if (score === 0 || (best && best.score >= score)) return;
    const values = sampleRows.map((row) => (row[index] ?? '').trim());
    if (values.some((value) => value === '')) return;
    if (new Set(values).size !== values.length) return;
    best = { header, score };
  });
  if (!best) return undefined;
  const shown = sampleRows.length;
  return {
    header: best.header,
    why:
      shown > 0
        ? `looks like an id, and its values are filled and unique in the first ${shown} row${shown === 1 ? '' : 's'}`
        : 'looks like an id',
  };
}
