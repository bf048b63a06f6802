import iconv from 'iconv-lite';
import type { CsvFileErrorReason } from '../../../core/csv/errors';
import type { MappingInput } from '../../../core/csv/mapping';
import type { PrepareSummary } from '../../../core/csv/prepare';

/**
 * The awkward-file suite: each fixture is generated here as bytes, with the
 * result it must give — parsed (counts, and optionally per-fixture checks) or a file-level error.
 * Generated rather than committed so encodings and byte-level oddities stay readable in review.
 */
export interface Fixture {
  name: string;
  bytes: Buffer;
  mapping?: Partial<MappingInput>;
  chunkBytes?: number;
  expect:
    | { error: CsvFileErrorReason }
    | {
        rowsRead: number;
        clean: number;
        rejected: number;
        byRule?: PrepareSummary['byRule'];
        encoding?: string;
        delimiter?: string;
        /** Expected clean-file rows (list column values), when the values matter. */
        cleanRows?: Array<Partial<Record<string, string>>>;
        /** Substrings the rejects file must contain. */
        rejectsContain?: string[];
        headerProblems?: number;
      };
}

export const HEADER = ['Id', 'First Name', 'Last Name', 'Mobile', 'Home Phone', 'Email'];
const GOOD = [
  ['C1', 'Ann', 'Lee', '(212) 555-0199', '', 'ann@example.com'],
  ['C2', 'Bob', 'Ray', '+44 20 7946 0958', '212-555-0123', 'bob@example.com'],
  ['C3', 'Cy', 'Doe', '', '2125550144', 'cy@example.com'],
];

/** The mapping every fixture uses unless it overrides parts of it. */
export const FIXTURE_MAPPING: MappingInput = {
  columns: {
    CustomerId: { source: { kind: 'csv', header: 'Id' } },
    FirstName: { source: { kind: 'csv', header: 'First Name' } },
    LastName: { source: { kind: 'csv', header: 'Last Name' } },
    MobilePhone: { source: { kind: 'csv', header: 'Mobile' } },
    HomePhone: { source: { kind: 'csv', header: 'Home Phone' } },
    Email: { source: { kind: 'csv', header: 'Email' } },
  },
  contactId: { kind: 'column', column: 'CustomerId' },
  phone: { defaultCountry: 'US' },
};

function cell(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter)
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

function text(rows: string[][], delimiter = ',', eol = '\r\n'): string {
  return (
    rows.map((row) => row.map((value) => cell(value, delimiter)).join(delimiter)).join(eol) + eol
  );
}

const utf8 = (value: string): Buffer => Buffer.from(value, 'utf8');
const goodText = text([HEADER, ...GOOD]);
const ok3 = { rowsRead: 3, clean: 3, rejected: 0 };
/** Two good rows, then the first row's id (Id, the contact id) again with another email. */
const duplicateIdText = text([
  HEADER,
  GOOD[0]!,
  GOOD[1]!,
  [...GOOD[0]!.slice(0, 5), 'second@example.com'],
]);
/** What keep-first and keep-last make of `duplicateIdText`: one copy rejected as a duplicate. */
const oneDuplicateRejected = { rowsRead: 3, clean: 2, rejected: 1, byRule: { 'duplicate-id': 1 } };
const accented = [
  ['C1', 'José', 'Müller', '(212) 555-0199', '', 'jose@example.com'],
  ['C2', 'Zoë', 'Ångström', '', '212-555-0123', 'zoe@example.com'],
];
const accentedText = text([HEADER, ...accented]);
const accentedRows = [
  { FirstName: 'José', LastName: 'Müller' },
  { FirstName: 'Zoë', LastName: 'Ångström' },
];

export const FIXTURES: Fixture[] = [
  {
    name: 'utf8 without BOM',
    bytes: utf8(goodText),
    expect: { ...ok3, encoding: 'utf-8', delimiter: ',' },
  },
  {
    name: 'utf8 with BOM (header not polluted)',
    bytes: utf8(`\ufeff${goodText}`),
    expect: {
      ...ok3,
      cleanRows: [{ CustomerId: 'C1' }, { CustomerId: 'C2' }, { CustomerId: 'C3' }],
    },
  },
  {
    name: 'utf16 LE with BOM',
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(accentedText, 'utf-16le')]),
    expect: { rowsRead: 2, clean: 2, rejected: 0, encoding: 'utf-16le', cleanRows: accentedRows },
  },
  {
    name: 'utf16 BE with BOM',
    bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(accentedText, 'utf-16be')]),
    expect: { rowsRead: 2, clean: 2, rejected: 0, encoding: 'utf-16be', cleanRows: accentedRows },
  },
  {
    name: 'windows-1252 (Excel on Windows) with € and curly quotes',
    bytes: iconv.encode(
      text([HEADER, ['C1', 'Zoë “Zed”', 'Müller €', '2125550199', '', 'z@example.com']]),
      'windows-1252',
    ),
    expect: {
      rowsRead: 1,
      clean: 1,
      rejected: 0,
      encoding: 'windows-1252',
      cleanRows: [{ FirstName: 'Zoë “Zed”', LastName: 'Müller €' }],
    },
  },
  {
    name: 'latin-1',
    bytes: iconv.encode(accentedText, 'latin1'),
    expect: { rowsRead: 2, clean: 2, rejected: 0, cleanRows: accentedRows },
  },
  {
    name: 'semicolon delimiter (European Excel)',
    bytes: utf8(text([HEADER, ...GOOD], ';')),
    expect: { ...ok3, delimiter: ';' },
  },
  {
    name: 'tab delimiter',
    bytes: utf8(text([HEADER, ...GOOD], '\t')),
    expect: { ...ok3, delimiter: '\t' },
  },
  {
    name: 'pipe delimiter',
    bytes: utf8(text([HEADER, ...GOOD], '|')),
    expect: { ...ok3, delimiter: '|' },
  },
  {
    name: 'quoted delimiters and escaped quotes',
    bytes: utf8(
      text([HEADER, ['C1', 'Ann, "Annie"', 'Lee; Jr', '2125550199', '', 'a@example.com']]),
    ),
    expect: {
      rowsRead: 1,
      clean: 1,
      rejected: 0,
      cleanRows: [{ FirstName: 'Ann, "Annie"', LastName: 'Lee; Jr' }],
    },
  },
  {
    name: 'quoted newlines inside a cell',
    bytes: utf8(
      text([
        HEADER,
        ['C1', 'Ann\nMarie', 'Lee\r\nSmith', '2125550199', '', 'a@example.com'],
        GOOD[1]!,
      ]),
    ),
    expect: {
      rowsRead: 2,
      clean: 2,
      rejected: 0,
      cleanRows: [{ FirstName: 'Ann\nMarie', LastName: 'Lee\r\nSmith' }, { CustomerId: 'C2' }],
    },
  },
  { name: 'LF line ends', bytes: utf8(text([HEADER, ...GOOD], ',', '\n')), expect: ok3 },
  {
    name: 'CR-only line ends (old Mac)',
    bytes: utf8(text([HEADER, ...GOOD], ',', '\r')),
    expect: {
      ...ok3,
      cleanRows: [
        { Email: 'ann@example.com' },
        { Email: 'bob@example.com' },
        { Email: 'cy@example.com' },
      ],
    },
  },
  { name: 'no final newline', bytes: utf8(goodText.trimEnd()), expect: ok3 },
  { name: 'trailing blank lines', bytes: utf8(`${goodText}\r\n\r\n\r\n`), expect: ok3 },
  {
    name: 'blank lines in the middle keep Excel row numbers',
    bytes: utf8(text([HEADER, GOOD[0]!, [''], ['C9', 'X', 'Y', '555-01', '', '']])),
    expect: {
      rowsRead: 2,
      clean: 1,
      rejected: 1,
      byRule: { phone: 1 },
      rejectsContain: ['Row 4: MobilePhone'],
    },
  },
  {
    name: 'ragged rows (short and long)',
    bytes: utf8(text([HEADER, GOOD[0]!, ['C2', 'Bob'], [...GOOD[2]!, 'extra']])),
    expect: {
      rowsRead: 3,
      clean: 1,
      rejected: 2,
      byRule: { 'ragged-row': 2 },
      rejectsContain: ['Row 3 has 2 cells but the header has 6 columns', 'extra'],
    },
  },
  {
    name: 'duplicate header names',
    bytes: utf8(
      text([
        [...HEADER, 'Email'],
        [...GOOD[0]!, 'other@example.com'],
      ]),
    ),
    expect: {
      rowsRead: 1,
      clean: 1,
      rejected: 0,
      headerProblems: 1,
      cleanRows: [{ Email: 'ann@example.com' }],
    },
  },
  {
    name: 'empty header name',
    bytes: utf8(
      text([
        [...HEADER, ''],
        [...GOOD[0]!, 'x'],
      ]),
    ),
    expect: { rowsRead: 1, clean: 1, rejected: 0, headerProblems: 1 },
  },
  { name: 'empty file', bytes: Buffer.alloc(0), expect: { error: 'empty' } },
  {
    name: 'only a BOM and blank lines',
    bytes: utf8('\ufeff\r\n\r\n  \r\n'),
    expect: { error: 'empty' },
  },
  {
    name: 'binary file (PNG)',
    bytes: Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.alloc(200, 7),
    ]),
    expect: { error: 'binary' },
  },
  {
    name: 'zip archive that is not a workbook (read as xlsx, refused)',
    bytes: Buffer.concat([
      Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000', 'latin1'),
      Buffer.alloc(100),
    ]),
    expect: { error: 'unreadable' },
  },
  {
    name: 'no header row (first row is data)',
    bytes: utf8(text(GOOD.map((row) => [row[3]!, row[5]!, row[0]!]))),
    expect: { error: 'no-header' },
  },
  {
    name: 'header only, no data rows',
    bytes: utf8(text([HEADER])),
    expect: { rowsRead: 0, clean: 0, rejected: 0 },
  },
  {
    name: '51 columns in the CSV (extra ones unmapped)',
    bytes: utf8(
      text([
        [...HEADER, ...Array.from({ length: 45 }, (_v, index) => `Extra${index}`)],
        [...GOOD[0]!, ...Array.from({ length: 45 }, () => 'x')],
      ]),
    ),
    expect: { rowsRead: 1, clean: 1, rejected: 0 },
  },
  {
    name: '512 characters pass, 513 are rejected',
    bytes: utf8(
      text([
        HEADER,
        ['C1', 'A', 'Lee', '2125550199', '', 'a'.repeat(512)],
        ['C2', 'B', 'Ray', '2125550198', '', 'b'.repeat(513)],
      ]),
    ),
    expect: {
      rowsRead: 2,
      clean: 1,
      rejected: 1,
      byRule: { 'max-length': 1 },
      rejectsContain: ['is 513 characters long; Genesys accepts at most 512'],
    },
  },
  {
    name: 'invalid phone numbers',
    bytes: utf8(
      text([
        HEADER,
        ['C1', 'A', 'B', '555-01', '', ''],
        ['C2', 'A', 'B', '123', '', ''],
        ['C3', 'A', 'B', 'call me', '', ''],
        GOOD[0]!,
      ]),
    ),
    expect: {
      rowsRead: 4,
      clean: 1,
      rejected: 3,
      byRule: { phone: 3 },
      rejectsContain: ["Row 2: MobilePhone '555-01' is not a valid phone number for US"],
    },
  },
  {
    name: 'national-format phone numbers become E.164',
    bytes: utf8(
      text([
        HEADER,
        ['C1', 'A', 'B', '(212) 555-0199', '212.555.0198', ''],
        ['C2', 'A', 'B', '+1 212 555 0197', '001 212 555 0196', ''],
      ]),
    ),
    expect: {
      rowsRead: 2,
      clean: 2,
      rejected: 0,
      cleanRows: [
        { MobilePhone: '+12125550199', HomePhone: '+12125550198' },
        { MobilePhone: '+12125550197', HomePhone: '+12125550196' },
      ],
    },
  },
  {
    name: 'duplicate ids, keep first',
    bytes: utf8(duplicateIdText),
    expect: {
      ...oneDuplicateRejected,
      cleanRows: [{ Email: 'ann@example.com' }, { CustomerId: 'C2' }],
    },
  },
  {
    name: 'duplicate ids, keep last',
    mapping: { duplicateIds: 'keep-last' },
    bytes: utf8(duplicateIdText),
    expect: {
      ...oneDuplicateRejected,
      cleanRows: [{ CustomerId: 'C2' }, { Email: 'second@example.com' }],
      rejectsContain: ['same contact id as row 4'],
    },
  },
  {
    name: 'duplicate ids, reject all',
    mapping: { duplicateIds: 'reject-all' },
    bytes: utf8(duplicateIdText),
    expect: { rowsRead: 3, clean: 1, rejected: 2, byRule: { 'duplicate-id': 2 } },
  },
  {
    name: 'formula injection is neutralised in the rejects file',
    bytes: utf8(text([HEADER, ['C1', '=HYPERLINK("http://evil")', '+cmd', '555-01', '', '@x']])),
    expect: {
      rowsRead: 1,
      clean: 0,
      rejected: 1,
      rejectsContain: [`"'=HYPERLINK(""http://evil"")"`, "'+cmd", "'@x"],
    },
  },
  {
    name: 'padded cells are trimmed',
    bytes: utf8(text([HEADER, ['  C1 ', ' Ann ', 'Lee  ', ' 2125550199 ', '', ' a@example.com ']])),
    expect: {
      rowsRead: 1,
      clean: 1,
      rejected: 0,
      cleanRows: [{ CustomerId: 'C1', FirstName: 'Ann', Email: 'a@example.com' }],
    },
  },
  {
    name: 'missing contact id',
    bytes: utf8(text([HEADER, ['', 'Ann', 'Lee', '2125550199', '', '']])),
    expect: { rowsRead: 1, clean: 0, rejected: 1, byRule: { 'contact-id': 1 } },
  },
  {
    name: 'quote that never closes',
    bytes: utf8(
      text([HEADER, GOOD[0]!]) +
        'C2,"Bob,Ray,2125550123,,b@example.com\r\nC3,Cy,Doe,,2125550144,c@example.com\r\n',
    ),
    expect: {
      rowsRead: 2,
      clean: 1,
      rejected: 1,
      byRule: { 'malformed-quotes': 1, 'ragged-row': 1 },
      rejectsContain: ['Row 3 opens a quoted cell that never closes'],
    },
  },
  {
    name: "Excel's sep=; first line (European export)",
    bytes: utf8(`sep=;\r\n${text([HEADER, ...GOOD], ';')}`),
    expect: {
      ...ok3,
      delimiter: ';',
      cleanRows: [{ CustomerId: 'C1' }, { CustomerId: 'C2' }, { CustomerId: 'C3' }],
    },
  },
  {
    name: 'sep= line naming a delimiter the cells do not suggest',
    // Commas in every cell would win detection; the hint says the file is pipe-separated.
    bytes: utf8(
      `sep=|\n${text([HEADER, ['C1', 'Lee, Ann', 'Lee, Jr', '2125550199', '', 'a@example.com']], '|', '\n')}`,
    ),
    expect: {
      rowsRead: 1,
      clean: 1,
      rejected: 0,
      delimiter: '|',
      cleanRows: [{ FirstName: 'Lee, Ann', LastName: 'Lee, Jr' }],
    },
  },
  {
    name: 'sep= line after a BOM, row numbers as Excel shows them (sep line hidden)',
    bytes: utf8(
      `\ufeffsep=,\r\n${text([HEADER, GOOD[0]!, ['C2', 'Bob', 'Ray', '555-01', '', '']])}`,
    ),
    expect: {
      rowsRead: 2,
      clean: 1,
      rejected: 1,
      byRule: { phone: 1 },
      rejectsContain: ['Row 3: MobilePhone'],
    },
  },
  {
    name: 'Excel "Unicode text": tab-separated UTF-16 LE with BOM',
    bytes: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode(text([HEADER, ...accented], '\t'), 'utf-16le'),
    ]),
    expect: {
      rowsRead: 2,
      clean: 2,
      rejected: 0,
      encoding: 'utf-16le',
      delimiter: '\t',
      cleanRows: accentedRows,
    },
  },
  {
    name: 'trailing empty columns from a formatted range: no header notes, no ragged rows',
    bytes: utf8(text([[...HEADER, '', '', ''], ...GOOD.map((row) => [...row, '', '', ''])])),
    expect: { ...ok3, headerProblems: 0 },
  },
  {
    name: 'trailing empty header with data under it keeps the column',
    bytes: utf8(
      text([
        [...HEADER, '', ''],
        [...GOOD[0]!, 'x', ''],
      ]),
    ),
    expect: { rowsRead: 1, clean: 1, rejected: 0, headerProblems: 1 },
  },
  {
    name: 'legacy .xls workbook (OLE container)',
    bytes: Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]),
    expect: { error: 'binary' },
  },
  {
    name: 'tiny read chunks split multi-byte characters, CRLF and quoted newlines',
    chunkBytes: 7,
    bytes: utf8(
      text([HEADER, ...accented, ['C3', 'Ann\r\nMarie', 'Lee', '2125550199', '', 'a@example.com']]),
    ),
    expect: {
      rowsRead: 3,
      clean: 3,
      rejected: 0,
      cleanRows: [...accentedRows, { FirstName: 'Ann\r\nMarie' }],
    },
  },
];
