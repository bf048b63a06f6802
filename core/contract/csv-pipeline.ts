import { z } from 'zod';
import { Mapping } from '../csv/mapping';
import { channel } from './channel';

/**
 * CSV preparation as the app's screens use it: inspect a file, match its headers to a
 * list's columns, preview the mapped rows with their problems, and write clean/rejects files.
 */

/** Where a contact list's columns come from: a saved schema file (offline) or a live org. */
export const SchemaSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('list'),
    orgId: z.string().min(1).max(200),
    listId: z.string().min(1).max(200),
  }),
]);
export type SchemaSource = z.infer<typeof SchemaSource>;

export const MappingShape = Mapping;

/** What a consultant needs to see about a file before mapping it. */
export const CsvInspection = z.object({
  path: z.string(),
  sizeBytes: z.number(),
  encoding: z.string(),
  delimiter: z.string(),
  headers: z.array(z.string()),
  headerProblems: z.array(z.object({ columnIndex: z.number(), message: z.string() })),
  /** The first rows as read (cells in file order), for a glance at the data. */
  sampleRows: z.array(z.array(z.string())),
  /** The sheet read (xlsx only). */
  sheet: z.string().optional(),
  /** Every sheet of the workbook, in workbook order (xlsx only), for a sheet picker. */
  sheets: z.array(z.string()).optional(),
});
export type CsvInspection = z.infer<typeof CsvInspection>;

/** A contact list's columns, as the mapping screen shows them. */
export const SchemaSummary = z.object({
  name: z.string(),
  columnNames: z.array(z.string()),
  phoneColumns: z.array(z.object({ columnName: z.string(), type: z.string() })),
  fingerprint: z.string(),
});
export type SchemaSummary = z.infer<typeof SchemaSummary>;

/** How a header was matched (exact, synonym, fuzzy, …): shown as a hint next to the confidence. */
const MatchMethod = z.string();

/** The best CSV header for one list column, with the confidence shown next to it. */
export const ColumnMatchShape = z.object({
  listColumn: z.string(),
  csvHeader: z.string().nullable(),
  confidence: z.number(),
  method: MatchMethod,
  autoMap: z.boolean(),
  alternatives: z.array(
    z.object({ csvHeader: z.string(), confidence: z.number(), method: MatchMethod }),
  ),
});
export type ColumnMatchShape = z.infer<typeof ColumnMatchShape>;

/** One thing wrong with one row, in words a consultant understands. */
export const ProblemShape = z.object({
  rowNumber: z.number(),
  column: z.string().nullable(),
  value: z.string(),
  rule: z.string(),
  message: z.string(),
});
export type ProblemShape = z.infer<typeof ProblemShape>;

/** One previewed row: the values as they would be uploaded and what is wrong with it. */
export const PreviewRow = z.object({
  rowNumber: z.number(),
  ok: z.boolean(),
  contactId: z.string().optional(),
  values: z.record(z.string(), z.string()),
  problems: z.array(ProblemShape),
});
export type PreviewRow = z.infer<typeof PreviewRow>;

/**
 * One row of a whole-file check's or a preparation's grid: a rejected row (the errors-only grid)
 * or a clean row with warnings (core/csv's `WarnedRow`).
 */
export const CheckErrorRow = z.object({
  /** The row's number in the file (the header being row 1). */
  rowNumber: z.number().int(),
  /** Its rules' or warnings' codes. */
  rules: z.array(z.string()),
  /** Each in words, joined with "; ". */
  reasons: z.string(),
  /** The row's cells in file order. */
  values: z.array(z.string()),
});
export type CheckErrorRow = z.infer<typeof CheckErrorRow>;

/** What a preparation did; rowsRead = clean + rejected. */
export const PrepareResult = z.object({
  rowsRead: z.number(),
  clean: z.number(),
  rejected: z.number(),
  byRule: z.record(z.string(), z.number()),
  outPath: z.string(),
  rejectsPath: z.string(),
  /**
   * Rows of the clean file that will be sent but deserve a look, as the whole-file check counts
   * them (`FileCheck.warned`): no phone or email in any contactable column, a formula-like cell.
   */
  warned: z.number().int().default(0),
  byWarning: z.record(z.string(), z.number()).default({}),
  /** The first of those rows (file row numbers, their cells in file order). */
  warningRows: z.array(CheckErrorRow).default([]),
});
export type PrepareResult = z.infer<typeof PrepareResult>;

/** A file path; 4096 is the longest Linux accepts (PATH_MAX). */
const path = z.string().min(1).max(4096);

/** The sheet of an .xlsx workbook to read (default: the first visible sheet with data). */
export const SheetName = z.string().min(1).max(200).optional();

export const csvChannels = {
  'csv:inspect': channel(z.object({ path, sheet: SheetName }), CsvInspection),
  'csv:schema': channel(z.object({ source: SchemaSource }), SchemaSummary),
  'csv:autoMatch': channel(
    z.object({ headers: z.array(z.string()), source: SchemaSource }),
    z.object({ matches: z.array(ColumnMatchShape), mapping: MappingShape }),
  ),
  'csv:preview': channel(
    z.object({
      path,
      sheet: SheetName,
      source: SchemaSource,
      mapping: MappingShape,
      rows: z.number().int().min(1).max(500).default(25),
    }),
    z.object({ columns: z.array(z.string()), rows: z.array(PreviewRow) }),
  ),
  /** Long-running: progress arrives as `csv:progress` events with the caller's `jobId`. */
  'csv:prepare': channel(
    z.object({
      jobId: z.string().min(1),
      path,
      sheet: SheetName,
      source: SchemaSource,
      mapping: MappingShape,
      outPath: path,
      rejectsPath: path,
      /** Without it, an existing output file is a `conflict` error and nothing is written. */
      overwrite: z.boolean().default(false),
    }),
    PrepareResult,
  ),
  'csv:cancel': channel(
    z.object({ jobId: z.string().min(1) }),
    z.object({ cancelled: z.boolean() }),
  ),
};

export const csvEvents = {
  'csv:progress': z.object({
    jobId: z.string(),
    phase: z.string(),
    bytesRead: z.number(),
    totalBytes: z.number(),
    rowsRead: z.number(),
  }),
};
