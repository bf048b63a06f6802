/**
 * The CSV pipeline: decode → stream parse → map → validate → clean/rejects files, for delimited
 * text and .xlsx workbooks alike (`openCsv` tells them apart by their bytes). Everything here
 * runs in plain Node (CLI, tests, the app's main/host process).
 *
 * Typical use:
 *   const schema = readContactListSchema(json);           // the list's JSON from the API or a file
 *   const source = await openCsv(path, { onProgress, signal });
 *   const mapping = autoMapping(source.headers, schema);   // or readMapping(fileJson)
 *   const mapRow = createRowMapper(mapping, schema, { headers: source.headers });
 *   for await (const row of source) { const result = mapRow(row); ... }
 * or, offline, `prepareCsv({ csvPath, schema, mapping, outPath, rejectsPath })`.
 */
export { GENESYS_LIMITS } from './limits';
export { CsvFileError } from './errors';
export type { CsvFileErrorReason } from './errors';
export { readContactListSchema, schemaFingerprint, phoneColumnNames } from './schema';
export type { ContactListSchema, ColumnDataTypeSpecification } from './schema';
export { detectEncoding } from './decode';
export type { EncodingDetection, TextEncoding } from './decode';
export { detectDelimiter, detectNewline, CANDIDATE_DELIMITERS } from './delimiter';
export type { Delimiter } from './delimiter';
export type { HeaderProblem } from './header';
export { openCsv, CsvRow } from './csv-source';
export type { CsvSource, CsvProgress, OpenCsvOptions } from './csv-source';
export { formatRowNumber } from './problems';
export type { Problem, ProblemRule } from './problems';
export { Mapping, readMapping } from './mapping';
export { sourceHeaders } from './column-source';
export type {
  MappingInput,
  ColumnMapping,
  ColumnSource,
  Transform,
  ContactIdRule,
  DuplicateIdPolicy,
  PhoneSettings,
} from './mapping';
export { applyTransforms, reformatDate } from './transforms';
export { normalisePhone } from './phone';
export type { PhoneResult } from './phone';
export { hashContactId } from './contact-id';
export {
  checkRuleNotes,
  describeIdSource,
  duplicateIdCause,
  duplicateIdSummary,
  idCsvHeader,
  idListColumns,
  withIdHeader,
} from './contact-id-rule';
export { suggestIdHeader } from './id-column-match';
export { FingerprintTable } from './fingerprint-table';
export { createRowMapper } from './row-mapper';
export { createCellMapper } from './cell-mapper';
export type { CellMapper, CellResult } from './cell-mapper';
export type {
  RowMapper,
  RowMapperOptions,
  RowResult,
  RowInput,
  MappedContact,
  DuplicateCheck,
} from './row-mapper';
export { autoMatch, autoMapping, scorePair, AUTO_MAP_CONFIDENCE } from './auto-match';
export type { ColumnMatch, MatchMethod } from './auto-match';
export { CsvWriter, neutraliseFormula, formatCell } from './csv-writer';
export type { CsvWriterOptions } from './csv-writer';
export { isFormulaLike, restoreNeutralised } from './formula-safety';
export { XlsxWriter } from './xlsx-writer';
export { createTableWriter, writeTableFile } from './table-writer';
export type { TableWriter, TableWriterOptions } from './table-writer';
export { listSheets } from './xlsx-records';
export type { SheetSummary } from './xlsx-records';
export { detectSourceFormat, isXlsxPath } from './source-format';
export type { SourceFormat } from './source-format';
export { recogniseSluiceFile, RUN_ROWS_COLUMNS } from './sluice-files';
export type { SluiceFileKind } from './sluice-files';
export { writeReconciliation, RECONCILIATION_COLUMNS } from './reconciliation';
export type {
  ReconciliationRecord,
  ReconciliationOutcome,
  ReconciliationOptions,
  ReconciliationSummary,
} from './reconciliation';
export { prepareCsv, REJECT_COLUMNS } from './prepare';
export type { PrepareOptions, PrepareProgress, PrepareSummary } from './prepare';
export type { RowWarning, RowWarnings, WarnedRow } from './row-warnings';
export { previewCsv } from './preview';
export type { CsvPreview, PreviewRow, PreviewCell, PreviewOptions } from './preview';
export {
  MappingTemplateStore,
  MappingTemplate,
  columnsWarning,
  TEMPLATE_FORMAT_VERSION,
} from './templates';
export type { TemplateSummary, LoadedTemplate } from './templates';
export { prepareCsvInWorker, defaultWorkerEntry } from './prepare-in-worker';
export type { WorkerEntry } from './prepare-in-worker';
