// The per-row hot path of a preparation: maps one source row onto a contact list's columns and
// validates it (transforms, phone rules, 512-character values, the duplicate-id check), giving
// the values in the list's column order. `createRowMapper` (row-mapper.ts) adds the contact's
// data by column name for callers that upload. Decisions that depend only on the mapping are
// taken once per column, before the first row (docs/bench/csv.bench.ts.md, "map + validate").
import { checkValue } from './column-rules';
import { hashContactId } from './contact-id';
import { duplicateIdCause, idCsvHeader, idListColumns } from './contact-id-rule';
import { CsvFileError } from './errors';
import { GENESYS_LIMITS } from './limits';
import type { ColumnMapping, Mapping } from './mapping';
import { sourceHeaders } from './column-source';
import { normalisePhone } from './phone';
import { formatRowNumber, quoteValue } from './problems';
import type { Problem, ProblemRule } from './problems';
import type { ColumnDataTypeSpecification, ContactListSchema } from './schema';
import { applyTransforms, TransformError } from './transforms';
import { duplicateCheck } from './duplicate-check';
import type { DuplicateCheck } from './duplicate-check';

/** The row shape the mapper reads: a CsvRow, or any object with fields (e.g. in tests). */
export interface RowInput {
  rowNumber: number;
  fields: Record<string, string>;
  values?: readonly string[];
  problems?: readonly Problem[];
}

/** Options for `createRowMapper` and `createCellMapper`. */
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

/**
 * One row mapped, values only: `cells` holds one value per list column in the schema's order
 * (absent when the row's shape was broken and nothing was read); `id` is the contact id ('' when
 * there is none).
 */
export type CellResult =
  | { ok: true; rowNumber: number; id: string; cells: string[]; problems: readonly Problem[] }
  | { ok: false; rowNumber: number; id: string; cells: string[] | undefined; problems: Problem[] };

/** A function mapping one row to its values; stateful for duplicates, so create one per pass. */
export type CellMapper = (row: RowInput) => CellResult;

interface CompiledColumn {
  name: string;
  mapping: ColumnMapping | undefined;
  readers: Array<(row: RowInput) => string>;
  spec: ColumnDataTypeSpecification | undefined;
  isPhone: boolean;
  /** Index of the one header a plain copy reads (no transform, no default, one CSV column); else -1. */
  directIndex: number;
  /** Header name of that copy, for rows given by fields only. */
  directHeader: string;
  /** No phone normalisation, not required, no data type: only the 512-character rule applies. */
  lengthOnly: boolean;
}

/** The problems of every clean row: one shared, frozen empty array. */
const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/**
 * Builds the function that turns a CSV row into its list values or a list of problems (rules:
 * required, max-length, numeric, timestamp, phone, date-format, contact-id, duplicate-id, plus
 * the row's own shape problems). Throws CsvFileError ('invalid-mapping') when the mapping names
 * list columns the schema lacks or CSV headers the file lacks.
 */
export function createCellMapper(
  mapping: Mapping,
  schema: ContactListSchema,
  options: RowMapperOptions = {},
): CellMapper {
  checkMapping(mapping, schema, options.headers);
  const phone = {
    normalise: options.normalizePhones ?? mapping.phone.normalize,
    defaultCountry: options.defaultCountry ?? mapping.phone.defaultCountry,
    invalid: mapping.phone.invalid,
  };
  const columns = compileColumns(mapping, schema, options.headers, phone.normalise);
  const duplicates = duplicateCheck(mapping, options.duplicates, options.expectedRows ?? 0);
  const idRule = mapping.contactId;
  const idColumns = idListColumns(idRule);
  const idIndexes = idColumns.map((name) => schema.columnNames.indexOf(name));
  const idHeader = idCsvHeader(idRule);
  const readIdCell = idHeader === undefined ? undefined : reader(idHeader, options.headers);
  const trim = mapping.trimValues;
  const count = columns.length;
  const idMessage =
    idHeader !== undefined
      ? `has no contact id: the CSV column “${idHeader}” is empty`
      : `has no contact id: ${idColumns.join(', ')} ${idColumns.length > 1 ? 'are all' : 'is'} empty`;
  const phoneColumns = schema.phoneColumns.map((column) => column.columnName);
  const duplicateCause = duplicateIdCause(idRule, phoneColumns);
  // Problems of the row being mapped; most rows have none, so no array is made for them.
  const found: Problem[] = [];

  return (row) => {
    const rowNumber = row.rowNumber;
    // A row with a broken shape (ragged, bad quotes) has cells in the wrong columns: report only that.
    if (row.problems && row.problems.length > 0) {
      return { ok: false, rowNumber, id: '', cells: undefined, problems: [...row.problems] };
    }
    const values = row.values;
    if (found.length > 0) found.length = 0; // only after a throw: a result takes its problems
    const cells = new Array<string>(count);
    for (let index = 0; index < count; index += 1) {
      const column = columns[index]!;
      let value: string;
      if (column.directIndex >= 0) {
        value = values
          ? (values[column.directIndex] ?? '')
          : (row.fields[column.directHeader] ?? '');
        if (trim) value = value.trim();
      } else {
        try {
          value = readColumn(column, row, trim);
        } catch (error) {
          if (!(error instanceof TransformError)) throw error;
          const reason = error.message.replace(/^'.*?' /, '');
          addProblem(found, rowNumber, column.name, error.value, 'date-format', reason);
          cells[index] = error.value;
          continue;
        }
      }
      if (column.lengthOnly && value.length <= GENESYS_LIMITS.maxValueLength) {
        cells[index] = value;
        continue;
      }
      cells[index] = validateColumn(column, value, phone, found, rowNumber);
    }
    let id = '';
    if (readIdCell !== undefined) {
      id = trim ? readIdCell(row).trim() : readIdCell(row);
      if (id === '') addProblem(found, rowNumber, null, '', 'contact-id', idMessage);
      else if (id.length > GENESYS_LIMITS.maxValueLength) {
        addProblem(found, rowNumber, null, id, 'contact-id', idTooLong(idHeader!, id));
        id = '';
      }
    } else if (allEmpty(cells, idIndexes)) {
      addProblem(found, rowNumber, null, '', 'contact-id', idMessage);
    } else {
      id =
        idRule.kind === 'column'
          ? cells[idIndexes[0]!]!
          : hashContactId(
              idColumns,
              idIndexes.map((at) => cells[at] ?? ''),
            );
    }
    if (found.length === 0 && !duplicates.accept(id, rowNumber)) {
      const reason = duplicates.reason(id);
      addProblem(
        found,
        rowNumber,
        null,
        id,
        'duplicate-id',
        duplicateCause ? `${reason}: ${duplicateCause}` : reason,
      );
    }
    if (found.length === 0) return { ok: true, rowNumber, id, cells, problems: NO_PROBLEMS };
    return { ok: false, rowNumber, id, cells, problems: found.splice(0) };
  };
}

/**
 * An id read from a CSV column travels as a value (a bulk import's id column, docs/GENESYS.md
 * contact-id-name), so it keeps to the list's value limit.
 */
function idTooLong(header: string, id: string): string {
  return `has a contact id longer than ${GENESYS_LIMITS.maxValueLength} characters (${id.length.toLocaleString('en-US')}) in the CSV column “${header}”`;
}

function allEmpty(cells: readonly string[], indexes: readonly number[]): boolean {
  for (const index of indexes) if (cells[index]) return false;
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
  normalisePhones: boolean,
): CompiledColumn[] {
  const phones = new Set(schema.phoneColumns.map((column) => column.columnName));
  const specs = new Map(schema.columnDataTypeSpecifications.map((spec) => [spec.columnName, spec]));
  return schema.columnNames.map((name) => {
    const columnMapping = mapping.columns[name];
    const readers = columnMapping
      ? sourceHeaders(columnMapping.source).map((header) => reader(header, headers))
      : [];
    const source = columnMapping?.source;
    const direct =
      source?.kind === 'csv' &&
      columnMapping!.transforms.length === 0 &&
      columnMapping!.defaultWhenEmpty === undefined
        ? source.header
        : undefined;
    const directIndex = direct === undefined ? -1 : (headers?.indexOf(direct) ?? -1);
    const spec = specs.get(name);
    const isPhone = phones.has(name);
    return {
      name,
      mapping: columnMapping,
      readers,
      spec,
      isPhone,
      directIndex,
      directHeader: direct ?? '',
      lengthOnly:
        spec === undefined && !(isPhone && normalisePhones) && columnMapping?.required !== true,
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
  // Nothing mapped is one problem, not one per list column: the file's headers matched none of
  // the list's (a workbook's other sheet, or a file meant for another list).
  if (Object.keys(mapping.columns).length === 0) {
    throw new CsvFileError(
      'invalid-mapping',
      'the mapping',
      "No column is mapped: none of the file's columns matched the contact list's. Map at least one list column to a column of the file (for a workbook, first check that the sheet read is the one with the contacts).",
    );
  }
  const listColumns = new Set(schema.columnNames);
  const problems: string[] = [];
  for (const name of Object.keys(mapping.columns)) {
    if (!listColumns.has(name)) problems.push(`list column "${name}" is not in the contact list`);
  }
  for (const name of idListColumns(mapping.contactId)) {
    if (!mapping.columns[name]) problems.push(`contact id column "${name}" is not mapped`);
  }
  if (headers) {
    const known = new Set(headers);
    const idHeader = idCsvHeader(mapping.contactId);
    if (idHeader !== undefined && !known.has(idHeader))
      problems.push(`the contact id reads CSV column "${idHeader}", which the file does not have`);
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
