import type { Mapping } from './mapping';
import type { ContactListSchema } from './schema';

/** How a CSV header was matched to a list column, best first. */
export type MatchMethod =
  'exact' | 'normalised' | 'synonym' | 'qualified' | 'partial' | 'fuzzy' | 'none';

/** The best CSV header for one list column, with a confidence the UI can show (0–1). */
export interface ColumnMatch {
  listColumn: string;
  csvHeader: string | null;
  confidence: number;
  method: MatchMethod;
  /** True when confidence ≥ AUTO_MAP_CONFIDENCE: safe to map without asking. */
  autoMap: boolean;
  /** Other plausible headers, best first (for the mapping screen's drop-down). */
  alternatives: Array<{ csvHeader: string; confidence: number; method: MatchMethod }>;
}

/** Matches below this confidence are suggestions only: never mapped without the consultant. */
export const AUTO_MAP_CONFIDENCE = 0.7;
/** Below this a pair is noise: not even suggested. */
export const SUGGEST_CONFIDENCE = 0.3;

// Words with the same meaning in CRM exports, mapped to one canonical token.
const SYNONYMS: Record<string, string> = {
  cell: 'mobile',
  cellular: 'mobile',
  cellphone: 'mobile',
  mobile: 'mobile',
  mob: 'mobile',
  gsm: 'mobile',
  tel: 'phone',
  telephone: 'phone',
  phone: 'phone',
  phonenumber: 'phone',
  business: 'work',
  office: 'work',
  work: 'work',
  given: 'first',
  first: 'first',
  fname: 'first',
  forename: 'first',
  firstname: 'first',
  surname: 'last',
  family: 'last',
  last: 'last',
  lname: 'last',
  lastname: 'last',
  email: 'email',
  mail: 'email',
  emailaddress: 'email',
  zip: 'zip',
  zipcode: 'zip',
  postal: 'zip',
  postcode: 'zip',
  postalcode: 'zip',
  company: 'company',
  organisation: 'company',
  organization: 'company',
  account: 'company',
  employer: 'company',
  street: 'address',
  address: 'address',
  addr: 'address',
  town: 'city',
  city: 'city',
  state: 'state',
  province: 'state',
  region: 'state',
  country: 'country',
  nation: 'country',
  tz: 'timezone',
  timezone: 'timezone',
  id: 'id',
  identifier: 'id',
  key: 'id',
};
// Words that add nothing to a column's meaning.
const NOISE = new Set(['number', 'no', 'num', 'nr', 'name', 'code', 'the', 'of', 'e', 'z']);
// Qualifiers that narrow a meaning a little; they count for less than core words.
const QUALIFIERS = new Set([
  'mailing',
  'primary',
  'main',
  'contact',
  'default',
  'billing',
  'shipping',
  'personal',
  '1',
  '2',
]);

/** Lower-case letters and digits only: "Mobile_Phone " → "mobilephone". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** Meaningful canonical tokens: splits camelCase and punctuation, applies synonyms, drops noise. */
export function canonicalTokens(name: string): string[] {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  const tokens = new Set<string>();
  for (const word of words) {
    const token = SYNONYMS[word] ?? word;
    if (!NOISE.has(token)) tokens.add(token);
  }
  // "Mobile" or "Cell" alone means the mobile phone; "E-mail" splits into e + mail.
  if (tokens.has('mobile')) tokens.add('phone');
  // "Address 1: City" is a city: 'address' only qualifies the location parts.
  if (
    tokens.has('address') &&
    ['city', 'state', 'zip', 'country'].some((part) => tokens.has(part))
  ) {
    tokens.delete('address');
    tokens.add('1');
  }
  const whole = SYNONYMS[normaliseName(name)];
  if (tokens.size === 0 && whole) tokens.add(whole);
  return [...tokens];
}

/** Scores one header against one list column: confidence in [0, 1] and how it was found. */
export function scorePair(
  csvHeader: string,
  listColumn: string,
): { confidence: number; method: MatchMethod } {
  if (csvHeader === listColumn) return { confidence: 1, method: 'exact' };
  const a = normaliseName(csvHeader);
  const b = normaliseName(listColumn);
  if (a !== '' && a === b) return { confidence: 0.95, method: 'normalised' };
  const tokensA = canonicalTokens(csvHeader);
  const tokensB = canonicalTokens(listColumn);
  const overlap = weightedOverlap(tokensA, tokensB);
  if (overlap === 1) return { confidence: 0.9, method: 'synonym' };
  if (onlyQualifiersAdded(tokensA, tokensB) || onlyQualifiersAdded(tokensB, tokensA)) {
    return { confidence: 0.8, method: 'qualified' };
  }
  const fuzzy = a === '' || b === '' ? 0 : similarity(a, b);
  const partial = round(overlap * 0.85);
  const fuzzyScore = round(fuzzy >= 0.75 ? fuzzy * 0.85 : fuzzy * 0.5);
  if (partial === 0 && fuzzyScore === 0) return { confidence: 0, method: 'none' };
  return partial >= fuzzyScore
    ? { confidence: partial, method: 'partial' }
    : { confidence: fuzzyScore, method: 'fuzzy' };
}

/** True when `wide` has every token of `narrow` plus only qualifiers ("Mailing City" vs "City"). */
function onlyQualifiersAdded(wide: string[], narrow: string[]): boolean {
  if (narrow.length === 0 || wide.length <= narrow.length) return false;
  return (
    narrow.every((token) => wide.includes(token)) &&
    wide.every((token) => narrow.includes(token) || QUALIFIERS.has(token))
  );
}

function weightedOverlap(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const weight = (token: string): number => (QUALIFIERS.has(token) ? 0.25 : 1);
  const setB = new Set(b);
  const union = new Set([...a, ...b]);
  let shared = 0;
  let total = 0;
  for (const token of union) {
    total += weight(token);
    if (setB.has(token) && a.includes(token)) shared += weight(token);
  }
  return total === 0 ? 0 : shared / total;
}

/** 1 − Levenshtein distance / longer length. */
function similarity(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_value, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return 1 - previous[b.length]! / Math.max(a.length, b.length);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Proposes a CSV header for every list column: pairs are taken best-first, each header and each
 * column used once. Pairs below AUTO_MAP_CONFIDENCE keep `autoMap: false` (shown as suggestions).
 */
export function autoMatch(csvHeaders: readonly string[], schema: ContactListSchema): ColumnMatch[] {
  const pairs: Array<{
    listColumn: string;
    csvHeader: string;
    confidence: number;
    method: MatchMethod;
  }> = [];
  for (const listColumn of schema.columnNames) {
    for (const csvHeader of csvHeaders) {
      const score = scorePair(csvHeader, listColumn);
      if (score.confidence >= SUGGEST_CONFIDENCE) pairs.push({ listColumn, csvHeader, ...score });
    }
  }
  pairs.sort((x, y) => y.confidence - x.confidence);
  const chosen = new Map<string, (typeof pairs)[number]>();
  const usedHeaders = new Set<string>();
  for (const pair of pairs) {
    if (chosen.has(pair.listColumn) || usedHeaders.has(pair.csvHeader)) continue;
    chosen.set(pair.listColumn, pair);
    usedHeaders.add(pair.csvHeader);
  }
  return schema.columnNames.map((listColumn) => {
    const best = chosen.get(listColumn);
    const alternatives = pairs
      .filter((pair) => pair.listColumn === listColumn && pair.csvHeader !== best?.csvHeader)
      .slice(0, 3)
      .map(({ csvHeader, confidence, method }) => ({ csvHeader, confidence, method }));
    if (!best)
      return {
        listColumn,
        csvHeader: null,
        confidence: 0,
        method: 'none' as const,
        autoMap: false,
        alternatives,
      };
    return {
      listColumn,
      csvHeader: best.csvHeader,
      confidence: best.confidence,
      method: best.method,
      autoMap: best.confidence >= AUTO_MAP_CONFIDENCE,
      alternatives,
    };
  });
}

/**
 * The mapping `--auto-map` uses: every list column whose match is confident (CSV header equal to
 * the column name first, then confident matches) reads that header; others stay empty. The
 * contact id is a hash of the mapped phone columns, or of all mapped columns when none is mapped.
 */
export function autoMapping(csvHeaders: readonly string[], schema: ContactListSchema): Mapping {
  const matches = autoMatch(csvHeaders, schema).filter(
    (match) => match.autoMap && match.csvHeader !== null,
  );
  const columns: Mapping['columns'] = {};
  for (const match of matches) {
    columns[match.listColumn] = {
      source: { kind: 'csv', header: match.csvHeader! },
      transforms: [],
      required: false,
    };
  }
  const mapped = Object.keys(columns);
  const phones = schema.phoneColumns
    .map((column) => column.columnName)
    .filter((name) => mapped.includes(name));
  const idColumns = phones.length > 0 ? phones : mapped;
  return {
    version: 1,
    columns,
    contactId: {
      kind: 'hash',
      columns: idColumns.length > 0 ? idColumns : [...schema.columnNames],
    },
    phone: { normalize: true, invalid: 'reject' },
    duplicateIds: 'keep-first',
    trimValues: true,
  };
}
