import { z } from 'zod';
import { ContactListJson } from '../csv/schema';
import { Mapping } from '../csv/mapping';
import { channel, Empty } from './channel';

// Channels for the CSV pipeline (issue 5). Not wired yet: the lead adds `csvChannels` to
// `channels` in index.ts and the services call core/csv (previewCsv, autoMatch, prepareCsvInWorker,
// MappingTemplateStore). Schemas mirror the core/csv types so a bad payload is a typed error.

/** A problem as the UI shows it (see core/csv/problems.ts). */
export const CsvProblem = z.object({
  rowNumber: z.number().int(),
  column: z.string().nullable(),
  value: z.string(),
  rule: z.string(),
  message: z.string(),
});

const HeaderProblem = z.object({
  columnIndex: z.number().int(),
  kind: z.enum(['duplicate-header', 'empty-header']),
  original: z.string(),
  renamedTo: z.string(),
  message: z.string(),
});

/** The first rows of a file mapped, for the mapping screen. */
export const CsvPreviewShape = z.object({
  headers: z.array(z.string()),
  headerProblems: z.array(HeaderProblem),
  encoding: z.string(),
  delimiter: z.string(),
  totalBytes: z.number(),
  rows: z.array(
    z.object({
      rowNumber: z.number().int(),
      ok: z.boolean(),
      source: z.record(z.string(), z.string()),
      cells: z.record(z.string(), z.object({ value: z.string(), problems: z.array(CsvProblem) })),
      contactId: z.string(),
      rowProblems: z.array(CsvProblem),
    }),
  ),
});

const MatchMethod = z.enum([
  'exact',
  'normalised',
  'synonym',
  'qualified',
  'partial',
  'fuzzy',
  'none',
]);

/** One list column's suggested CSV header, with the confidence the UI shows. */
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

/** What `prepareCsv` returns (rowsRead = clean + rejected). */
export const PrepareSummaryShape = z.object({
  rowsRead: z.number().int(),
  clean: z.number().int(),
  rejected: z.number().int(),
  byRule: z.record(z.string(), z.number().int()),
  encoding: z.string(),
  delimiter: z.string(),
  headerProblems: z.array(HeaderProblem),
});

const TemplateSummary = z.object({
  name: z.string(),
  savedAt: z.string(),
  schemaFingerprint: z.string(),
});
const countryCode = z.string().length(2).optional();

export const csvChannels = {
  /** Opens a file and suggests a mapping: headers, detected format, matches with confidence. */
  'csv:autoMatch': channel(
    z.object({ path: z.string().min(1), list: ContactListJson }),
    z.object({
      headers: z.array(z.string()),
      matches: z.array(ColumnMatchShape),
      mapping: Mapping,
    }),
  ),
  'csv:preview': channel(
    z.object({
      path: z.string().min(1),
      list: ContactListJson,
      mapping: Mapping,
      rows: z.number().int().min(1).max(1000).optional(),
      defaultCountry: countryCode,
    }),
    CsvPreviewShape,
  ),
  /** Offline preparation; progress arrives as events, cancel with csv:cancel and the same runId. */
  'csv:prepare': channel(
    z.object({
      runId: z.string().min(1),
      csvPath: z.string().min(1),
      list: ContactListJson,
      mapping: Mapping,
      outPath: z.string().min(1),
      rejectsPath: z.string().min(1),
      defaultCountry: countryCode,
    }),
    PrepareSummaryShape,
  ),
  'csv:cancel': channel(z.object({ runId: z.string().min(1) }), Empty),
  'csv:templates:list': channel(Empty, z.array(TemplateSummary)),
  'csv:templates:save': channel(
    z.object({ name: z.string().trim().min(1).max(100), mapping: Mapping, list: ContactListJson }),
    TemplateSummary,
  ),
  'csv:templates:load': channel(
    z.object({ name: z.string().min(1), list: ContactListJson.optional() }),
    z.object({ mapping: Mapping, warning: z.string().optional() }),
  ),
  'csv:templates:rename': channel(
    z.object({ from: z.string().min(1), to: z.string().trim().min(1).max(100) }),
    Empty,
  ),
  'csv:templates:delete': channel(z.object({ name: z.string().min(1) }), Empty),
  'csv:templates:export': channel(
    z.object({ name: z.string().min(1), path: z.string().min(1) }),
    Empty,
  ),
  'csv:templates:import': channel(
    z.object({
      path: z.string().min(1),
      list: ContactListJson.optional(),
      name: z.string().optional(),
    }),
    z.object({ name: z.string(), mapping: Mapping, warning: z.string().optional() }),
  ),
};

/** Progress of a csv:prepare run, as an event payload. */
export const CsvProgressEvent = z.object({
  runId: z.string(),
  phase: z.enum(['indexing-ids', 'preparing']),
  bytesRead: z.number(),
  totalBytes: z.number(),
  rowsRead: z.number(),
});
