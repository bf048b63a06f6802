import { z } from 'zod';
import { CsvFileError } from './errors';

/** A piece of a concatenation: a CSV column's value or fixed text. */
export const MappingPart = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('csv'), header: z.string() }),
  z.object({ kind: z.literal('text'), value: z.string() }),
]);
export type MappingPart = z.infer<typeof MappingPart>;

/** Where a list column's value comes from. */
export const ColumnSource = z.discriminatedUnion('kind', [
  /** One CSV column, by (normalised) header name. */
  z.object({ kind: z.literal('csv'), header: z.string() }),
  /** Several CSV columns and/or fixed text joined; empty CSV parts are skipped with their separator. */
  z.object({
    kind: z.literal('concat'),
    parts: z.array(MappingPart).min(1),
    separator: z.string().default(''),
  }),
  /** The same value on every row. */
  z.object({ kind: z.literal('constant'), value: z.string() }),
]);
export type ColumnSource = z.infer<typeof ColumnSource>;

/**
 * A per-column transform, applied in order after the value is read. Date patterns use the
 * tokens YYYY, MM, DD, HH, mm, ss (e.g. from 'DD/MM/YYYY' to 'YYYY-MM-DD').
 */
export const Transform = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trim') }),
  z.object({ kind: z.literal('case'), to: z.enum(['upper', 'lower', 'title']) }),
  z.object({ kind: z.literal('digits-only') }),
  z.object({ kind: z.literal('date'), from: z.string().min(1), to: z.string().min(1) }),
]);
export type Transform = z.infer<typeof Transform>;

/** How one list column is filled. */
export const ColumnMapping = z.object({
  source: ColumnSource,
  transforms: z.array(Transform).default([]),
  /** Used when the value (after transforms) is empty. */
  defaultWhenEmpty: z.string().optional(),
  /** When true, a row whose value ends up empty is rejected ('required'). */
  required: z.boolean().default(false),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/**
 * Which value identifies a contact. The id must be deterministic (same row, same id, every run)
 * because the engine sends it on every POST so retries are idempotent upserts (docs/GENESYS.md).
 */
export const ContactIdRule = z.discriminatedUnion('kind', [
  /** A list column whose (mapped) value is unique per contact, e.g. a CRM id. */
  z.object({ kind: z.literal('column'), column: z.string() }),
  /**
   * A CSV column's value as written (trimmed when `trimValues`), by header, whether or not a
   * list column reads it: a CRM export's "CRM ID" the list has no column for.
   */
  z.object({ kind: z.literal('csv-column'), header: z.string().min(1) }),
  /** A SHA-256 hash (32 hex chars) of the mapped values of these list columns. */
  z.object({ kind: z.literal('hash'), columns: z.array(z.string()).min(1) }),
]);
export type ContactIdRule = z.infer<typeof ContactIdRule>;

/** What to do when several rows of a file have the same contact id. */
export const DuplicateIdPolicy = z.enum(['keep-first', 'keep-last', 'reject-all']);
export type DuplicateIdPolicy = z.infer<typeof DuplicateIdPolicy>;

/** Phone normalisation settings (applies to the list's phone columns). */
export const PhoneSettings = z.object({
  /** Rewrite numbers to E.164 (+15551234567). */
  normalize: z.boolean().default(true),
  /** ISO 3166 alpha-2 country for numbers written without an international prefix. */
  defaultCountry: z.string().length(2).toUpperCase().optional(),
  /** 'reject' rejects the row; 'keep' uploads the value as written. */
  invalid: z.enum(['reject', 'keep']).default('reject'),
});
export type PhoneSettings = z.infer<typeof PhoneSettings>;

/**
 * A mapping from a CSV file onto a contact list: plain JSON, saved in templates and files.
 * List columns absent from `columns` are uploaded empty.
 */
export const Mapping = z.object({
  version: z.literal(1).default(1),
  columns: z.record(z.string(), ColumnMapping),
  contactId: ContactIdRule,
  phone: PhoneSettings.default({ normalize: true, invalid: 'reject' }),
  duplicateIds: DuplicateIdPolicy.default('keep-first'),
  /** Trim spaces around every CSV value before transforms (Excel exports often pad cells). */
  trimValues: z.boolean().default(true),
});
export type Mapping = z.output<typeof Mapping>;
/** A mapping as written by hand (defaults may be omitted). */
export type MappingInput = z.input<typeof Mapping>;

/**
 * Validates a mapping (from a file, a template or the UI). Throws CsvFileError
 * ('invalid-mapping') listing the problems; `source` names the file in the message.
 */
export function readMapping(json: unknown, source = 'the mapping'): Mapping {
  const result = Mapping.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
    return `${issue.message}${where}`;
  });
  throw new CsvFileError(
    'invalid-mapping',
    source,
    `${source} is not a valid mapping: ${problems.join('; ')}`,
  );
}
