import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CsvFileError } from './errors';
import { GENESYS_LIMITS } from './limits';

const columnName = z
  .string()
  .min(1, 'a column name is empty')
  .max(
    GENESYS_LIMITS.maxColumnNameLength,
    `a column name is longer than ${GENESYS_LIMITS.maxColumnNameLength} characters`,
  );

const phoneColumn = z.object({
  columnName,
  type: z.string().default(''),
  callableTimeColumn: z.string().optional(),
});

const emailColumn = z.object({
  columnName,
  type: z.string().default(''),
  contactableTimeColumn: z.string().optional(),
});

const dataTypeSpecification = z.object({
  columnName,
  columnDataType: z.enum(['TEXT', 'NUMERIC', 'TIMESTAMP']),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().positive().optional(),
});

/** zod schema for the contact list JSON as `GET /api/v2/outbound/contactlists/{id}` returns it. */
export const ContactListJson = z
  .object({
    id: z.string().optional(),
    name: z.string().optional(),
    version: z.number().optional(),
    columnNames: z
      .array(columnName)
      .min(1, 'the list has no columns')
      .max(
        GENESYS_LIMITS.maxColumns,
        `a contact list has at most ${GENESYS_LIMITS.maxColumns} columns`,
      ),
    phoneColumns: z.array(phoneColumn).default([]),
    emailColumns: z.array(emailColumn).default([]),
    columnDataTypeSpecifications: z.array(dataTypeSpecification).default([]),
    previewModeColumnName: z.string().optional(),
    zipCodeColumnName: z.string().optional(),
    automaticTimeZoneMapping: z.boolean().optional(),
    trimWhitespace: z.boolean().optional(),
  })
  .superRefine((list, context) => {
    const names = new Set<string>();
    for (const name of list.columnNames) {
      if (names.has(name))
        context.addIssue({ code: 'custom', message: `column "${name}" is listed twice` });
      names.add(name);
    }
    const referenced = [
      ...list.phoneColumns.map((column) => column.columnName),
      ...list.emailColumns.map((column) => column.columnName),
      ...list.columnDataTypeSpecifications.map((spec) => spec.columnName),
    ];
    for (const name of referenced) {
      if (!names.has(name)) {
        context.addIssue({
          code: 'custom',
          message: `column "${name}" is used but not in columnNames`,
        });
      }
    }
  });

/**
 * A contact list's columns and rules, validated. Produced only by `readContactListSchema` so every
 * consumer can rely on the Genesys limits (50 columns, 128-character names) holding.
 */
export type ContactListSchema = z.output<typeof ContactListJson>;

/** One column's data-type rule, as Genesys stores it. */
export type ColumnDataTypeSpecification = z.output<typeof dataTypeSpecification>;

/**
 * Validates a contact list JSON (from the API or a saved schema file) and returns it as a schema.
 * Unknown fields (size, importStatus, division, ...) are ignored. Throws `CsvFileError`
 * ('invalid-schema') listing every problem; `source` names the file in that message.
 */
export function readContactListSchema(
  json: unknown,
  source = 'the contact list',
): ContactListSchema {
  const result = ContactListJson.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
    return `${issue.message}${where}`;
  });
  throw new CsvFileError(
    'invalid-schema',
    source,
    `${source} is not a usable contact list: ${problems.join('; ')}`,
  );
}

/** The names of the list's phone columns, in list order. */
export function phoneColumnNames(schema: ContactListSchema): string[] {
  return schema.phoneColumns.map((column) => column.columnName);
}

/**
 * A short stable fingerprint of the list's columns and their rules (names in order, phone
 * columns, data types). Mapping templates store it to warn when a list's columns changed.
 */
export function schemaFingerprint(schema: ContactListSchema): string {
  const canonical = JSON.stringify({
    columns: schema.columnNames,
    phones: schema.phoneColumns.map((column) => [column.columnName, column.type]),
    types: [...schema.columnDataTypeSpecifications]
      .sort((a, b) => a.columnName.localeCompare(b.columnName))
      .map((spec) => [spec.columnName, spec.columnDataType, spec.min, spec.max, spec.maxLength]),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
