// Maps one source row onto a contact list's columns and validates it (transforms, phone rules,
// 512-character values, the duplicate-id check). Over 300 lines on purpose: the prepare worker
// and the engine run this per row, so it is one tight, allocation-light path rather than
// layers of small calls.
import { checkValue } from './column-rules';
import { hashContactId } from './contact-id';
import { CsvFileError } from './errors';
import { FingerprintTable } from './fingerprint-table';
import type { ColumnMapping, Mapping } from './mapping';
import { sourceHeaders } from './column-source';
import { normalisePhone } from './phone';
import { formatRowNumber, quoteValue } from './problems';
import type { Problem, ProblemRule } from './problems';
import type { ColumnDataTypeSpecification, ContactListSchema } from './schema';
import { applyTransforms, TransformError } from './transforms';

/** A contact ready to upload: its deterministic id and one value per list column. */
export interface MappedContact {
  id: string;
  data: Record<string, string>;
}

/** The result of mapping one row. */
export type RowResult =
  | {
      ok: true;
      rowNumber: number;
      contact: MappedContact;
      /** The contact's values in the schema's column order (what a clean file writes, no lookups). */
      cells: string[];
    }
  | { ok: false; rowNumber: number; problems: Problem[]; contact?: MappedContact };

/** The row shape the mapper reads: a CsvRow, or any object with fields (e.g. in tests). */
export interface RowInput {
  rowNumber: number;
  fields: Record<string, string>;
  values?: readonly string[];
  problems?: readonly Problem[];
}

/**
 * Duplicate-id decisions. 'keep-first' works in one pass (the mapper remembers ids it saw);
 * 'keep-last' and 'reject-all' need an index of the whole file from a first pass
 * (`DuplicateIndex`, built by `prepareCsv`); 'off' checks nothing (used for that first pass).
 */
export type DuplicateCheck =
  | { mode: 'off' }
  | { mode: 'keep-first' }
  | { mode: 'keep-last' | 'reject-all'; index: FingerprintTable };

/** Options for `createRowMapper`. */
export interface RowMapperOptions {
  /** The CSV headers; when given, the mapping is checked against them and rows are read by index. */
  headers?: readonly string[];
  /** Overrides `mapping.phone.defaultCountry` (the CLI's --default-country). */
  defaultCountry?: string;
  /** Overrides `mapping.phone.normalize`. */
  normalizePhones?: boolean;
  /** Default: keep-first tracking when the mapping says keep-first, else an error asking for an index. */
  duplicates?: DuplicateCheck;
  /** About how many rows will be mapped (sizes the keep-first id table; see CsvSource.estimatedRows). */
  expectedRows?: number;
}

/** A function mapping one row; stateful for duplicates, so create one per pass over a file. */
export type RowMapper = (row: RowInput) => RowResult;

interface CompiledColumn {
  name: string;
  mapping: ColumnMapping | undefined;
  readers: Array<(row: RowInput) => string>;
  spec: ColumnDataTypeSpecification | undefined;
  isPhone: boolean;
}

/**
 * Builds the function that turns a CSV row into a contact or a list of problems (rules:
 * required, max-length, numeric, timestamp, phone, date-format, contact-id, duplicate-id, plus
 * the row's own shape problems). Throws CsvFileError ('invalid-mapping') when the mapping names
 * list columns the schema lacks or CSV headers the file lacks.
 */
export function createRowMapper(
  mapping: Mapping,
  schema: ContactListSchema,
  options: RowMapperOptions = {},
): RowMapper {
  checkMapping(mapping, schema, options.headers);
  const columns = compileColumns(mapping, schema, options.headers);
  const normalise = options.normalizePhones ?? mapping.phone.normalize;
  const defaultCountry = options.defaultCountry ?? mapping.phone.defaultCountry;
  const duplicates = duplicateCheck(mapping, options.duplicates, options.expectedRows ?? 0);
  const idRule = mapping.contactId;
  const idColumns = idRule.kind === 'column' ? [idRule.column] : idRule.columns;

  const phone = { normalise, defaultCountry, invalid: mapping.phone.invalid };
  const idMessage = `has no contact id: ${idColumns.join(', ')} ${idColumns.length > 1 ? 'are all' : 'is'} empty`;

  return (row) => {
    // A row with a broken shape (ragged, bad quotes) has cells in the wrong columns: report only that.
    if (row.problems && row.problems.length > 0) {
      return { ok: false, rowNumber: row.rowNumber, problems: [...row.problems] };
    }
    const problems: Problem[] = [];
    const data: Record<string, string> = {};
    const cells = new Array<string>(columns.length);
    let index = -1;
    for (const column of columns) {
      index += 1;
      let value: string;
      try {
        value = readColumn(column, row, mapping.trimValues);
      } catch (error) {
        if (!(error instanceof TransformError)) throw error;
        value = error.value;
        addProblem(
          problems,
          row.rowNumber,
          column.name,
          value,
          'date-format',
          error.message.replace(/^'.*?' /, ''),
        );
        data[column.name] = value;
        cells[index] = value;
        continue;
      }
      const checked = validateColumn(column, value, phone, problems, row.rowNumber);
      data[column.name] = checked;
      cells[index] = checked;
    }
    let id = '';
    if (allEmpty(data, idColumns)) {
      addProblem(problems, row.rowNumber, null, '', 'contact-id', idMessage);
    } else {
      id =
        idRule.kind === 'column'
          ? data[idRule.column]!
          : hashContactId(
              idColumns,
              idColumns.map((name) => data[name] ?? ''),
            );
    }
    const contact = { id, data };
    if (problems.length === 0 && !duplicates.accept(id, row.rowNumber)) {
      addProblem(problems, row.rowNumber, null, id, 'duplicate-id', duplicates.reason(id));
    }
    return problems.length === 0
      ? { ok: true, rowNumber: row.rowNumber, contact, cells }
      : { ok: false, rowNumber: row.rowNumber, problems, contact };
  };
}

function allEmpty(data: Record<string, string>, names: readonly string[]): boolean {
  for (const name of names) if (data[name]) return false;
  return true;
}

function addProblem(
  problems: Problem[],
  rowNumber: number,
  column: string | null,
  value: string,
  rule: ProblemRule,
  reason: string,
): void {
  const subject = column === null ? '' : ` ${column} ${quoteValue(value)}`;
  problems.push({
    rowNumber,
    column,
    value,
    rule,
    message: `Row ${formatRowNumber(rowNumber)}:${subject} ${reason}`,
  });
}

/** Reads, combines and transforms a column's value; throws TransformError when a transform cannot apply. */
function readColumn(column: CompiledColumn, row: RowInput, trim: boolean): string {
  const mapping = column.mapping;
  if (!mapping) return '';
  let value: string;
  if (mapping.source.kind === 'csv') {
    value = column.readers[0]!(row);
    if (trim) value = value.trim();
  } else {
    value = combine(
      mapping,
      column.readers.map((read) => (trim ? read(row).trim() : read(row))),
    );
  }
  if (mapping.transforms.length > 0) value = applyTransforms(value, mapping.transforms);
  if (value === '' && mapping.defaultWhenEmpty !== undefined) value = mapping.defaultWhenEmpty;
  return value;
}

/** Normalises phones and checks the column's rules; returns the value to upload. */
function validateColumn(
  column: CompiledColumn,
  input: string,
  phone: { normalise: boolean; defaultCountry: string | undefined; invalid: 'reject' | 'keep' },
  problems: Problem[],
  rowNumber: number,
): string {
  let value = input;
  if (column.isPhone && phone.normalise && value !== '') {
    const result = normalisePhone(value, phone.defaultCountry);
    if (result.ok) value = result.e164;
    else if (phone.invalid === 'reject') {
      addProblem(problems, rowNumber, column.name, value, 'phone', result.reason);
      return value;
    }
  }
  if (value === '' && column.mapping?.required) {
    addProblem(
      problems,
      rowNumber,
      column.name,
      value,
      'required',
      'is empty but the mapping marks it required',
    );
  }
  if (value.length > 0 || column.spec) {
    const violation = checkValue(value, column.spec);
    if (violation)
      addProblem(problems, rowNumber, column.name, value, violation.rule, violation.reason);
  }
  return value;
}

function combine(mapping: ColumnMapping, raw: string[]): string {
  const source = mapping.source;
  if (source.kind === 'csv') return raw[0] ?? '';
  if (source.kind === 'constant') return source.value;
  let csvIndex = 0;
  const pieces: string[] = [];
  for (const part of source.parts) {
    const piece = part.kind === 'text' ? part.value : (raw[csvIndex++] ?? '');
    if (piece !== '') pieces.push(piece);
  }
  return pieces.join(source.separator);
}

function compileColumns(
  mapping: Mapping,
  schema: ContactListSchema,
  headers: readonly string[] | undefined,
): CompiledColumn[] {
  const phones = new Set(schema.phoneColumns.map((column) => column.columnName));
  const specs = new Map(schema.columnDataTypeSpecifications.map((spec) => [spec.columnName, spec]));
  return schema.columnNames.map((name) => {
    const columnMapping = mapping.columns[name];
    const readers = columnMapping
      ? sourceHeaders(columnMapping.source).map((header) => reader(header, headers))
      : [];
    return {
      name,
      mapping: columnMapping,
      readers,
      spec: specs.get(name),
      isPhone: phones.has(name),
    };
  });
}

function reader(header: string, headers: readonly string[] | undefined): (row: RowInput) => string {
  const index = headers?.indexOf(header) ?? -1;
  if (index >= 0)
    return (row) => (row.values ? (row.values[index] ?? '') : (row.fields[header] ?? ''));
  return (row) => row.fields[header] ?? '';
}

function checkMapping(
  mapping: Mapping,
  schema: ContactListSchema,
  headers: readonly string[] | undefined,
): void {
  const listColumns = new Set(schema.columnNames);
  const problems: string[] = [];
  for (const name of Object.keys(mapping.columns)) {
    if (!listColumns.has(name)) problems.push(`list column "${name}" is not in the contact list`);
  }
  const idColumns =
    mapping.contactId.kind === 'column' ? [mapping.contactId.column] : mapping.contactId.columns;
  for (const name of idColumns) {
    if (!mapping.columns[name]) problems.push(`contact id column "${name}" is not mapped`);
  }
  if (headers) {
    const known = new Set(headers);
    for (const [name, column] of Object.entries(mapping.columns)) {
      for (const header of sourceHeaders(column.source)) {
        if (!known.has(header))
          problems.push(`${name} reads CSV column "${header}", which the file does not have`);
      }
    }
  }
  if (problems.length > 0) {
    throw new CsvFileError(
      'invalid-mapping',
      'the mapping',
      `The mapping does not fit: ${problems.join('; ')}`,
    );
  }
}

interface DuplicateDecider {
  accept(id: string, rowNumber: number): boolean;
  reason(id: string): string;
}

function duplicateCheck(
  mapping: Mapping,
  check: DuplicateCheck | undefined,
  expectedRows: number,
): DuplicateDecider {
  const resolved =
    check ?? (mapping.duplicateIds === 'keep-first' ? { mode: 'keep-first' as const } : undefined);
  if (!resolved) {
    throw new CsvFileError(
      'invalid-mapping',
      'the mapping',
      `Duplicate policy "${mapping.duplicateIds}" needs the whole file read first: use prepareCsv, or pass a DuplicateIndex`,
    );
  }
  switch (resolved.mode) {
    case 'off':
      return { accept: () => true, reason: () => '' };
    case 'keep-first': {
      const seen = new FingerprintTable(false, expectedRows);
      return {
        accept: (id) => seen.add(id),
        reason: () => 'repeats the contact id of an earlier row (keeping the first)',
      };
    }
    case 'keep-last':
      return {
        accept: (id, rowNumber) => resolved.index.lastRow(id) === rowNumber,
        reason: (id) =>
          `has the same contact id as row ${formatRowNumber(resolved.index.lastRow(id))} (keeping the last)`,
      };
    case 'reject-all':
      return {
        accept: (id) => resolved.index.count(id) <= 1,
        reason: (id) =>
          `shares its contact id with ${resolved.index.count(id) - 1} other row(s) (rejecting all of them)`,
      };
  }
}
