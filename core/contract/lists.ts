import { z } from 'zod';
import { channel } from './channel';

/** `importStatus` of a contact list (bulk import progress). */
export const ImportStatusSummary = z.object({
  state: z.string(),
  totalRecords: z.number().optional(),
  completedRecords: z.number().optional(),
  percentComplete: z.number().optional(),
  failureReason: z.string().optional(),
});
export type ImportStatusSummary = z.infer<typeof ImportStatusSummary>;

/** A phone column of a list (`phoneColumns[]` of `ContactList`). */
export const PhoneColumn = z.object({
  columnName: z.string(),
  type: z.string(),
  callableTimeColumn: z.string().optional(),
});
export type PhoneColumn = z.infer<typeof PhoneColumn>;

/** A contact list as the browser shows it (a subset of Genesys `ContactList`). */
export const ContactListSummary = z.object({
  id: z.string(),
  name: z.string(),
  columnNames: z.array(z.string()),
  phoneColumns: z.array(PhoneColumn),
  emailColumns: z.array(z.object({ columnName: z.string(), type: z.string() })),
  /** Contacts in the list, when the server reported it. */
  size: z.number().optional(),
  importStatus: ImportStatusSummary.optional(),
  version: z.number().optional(),
  dateCreated: z.string().optional(),
  dateModified: z.string().optional(),
  divisionName: z.string().optional(),
});
export type ContactListSummary = z.infer<typeof ContactListSummary>;

/** Search by name (contains, case-insensitive), one page at a time (Genesys caps pages at 100). */
export const ListSearchRequest = z
  .object({
    orgId: z.string().min(1).max(200),
    name: z.string().trim().max(200).optional(),
    pageNumber: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(100).default(25),
    sortOrder: z.enum(['ascending', 'descending']).default('ascending'),
  })
  .strict();

export const ListPage = z.object({
  entities: z.array(ContactListSummary),
  pageNumber: z.number(),
  pageSize: z.number(),
  total: z.number(),
  pageCount: z.number(),
});
export type ListPage = z.infer<typeof ListPage>;

const ListRef = z
  .object({ orgId: z.string().min(1).max(200), listId: z.string().min(1).max(200) })
  .strict();

/** A list's schema: the summary, and exactly the JSON `GET /contactlists/{id}` returned. */
export const ContactListDetail = z.object({
  summary: ContactListSummary,
  json: z.record(z.string(), z.unknown()),
});
export type ContactListDetail = z.infer<typeof ContactListDetail>;

/**
 * Save a list's schema for offline preparation. `filePath` is absolute (from a save dialog);
 * without it the file goes to `<data folder>/schemas/<org>/<list name>.json`.
 */
export const SaveSchemaRequest = ListRef.extend({
  filePath: z
    .string()
    .max(4096)
    .refine((value) => /^(~([\\/]|$)|[a-zA-Z]:[\\/]|[\\/])/.test(value), 'must be an absolute path')
    .optional(),
  /** With `filePath`: without it, an existing file is a `conflict` error and nothing is written. */
  overwrite: z.boolean().default(false),
}).strict();

/** A new list from a mapping: its columns, which of them are phones, optional rules. */
export const CreateListRequest = z
  .object({
    orgId: z.string().min(1).max(200),
    name: z.string().trim().min(1).max(200),
    columnNames: z.array(z.string().min(1).max(128)).min(1).max(50),
    phoneColumns: z.array(PhoneColumn).min(1).max(10),
    emailColumns: z.array(z.object({ columnName: z.string(), type: z.string() })).optional(),
    previewModeColumnName: z.string().optional(),
    zipCodeColumnName: z.string().optional(),
    automaticTimeZoneMapping: z.boolean().optional(),
    trimWhitespace: z.boolean().optional(),
    columnDataTypeSpecifications: z
      .array(
        z.object({
          columnName: z.string(),
          columnDataType: z.enum(['TEXT', 'NUMERIC', 'TIMESTAMP']),
          min: z.number().optional(),
          max: z.number().optional(),
          maxLength: z.number().int().positive().optional(),
        }),
      )
      .optional(),
  })
  .strict()
  .superRefine((request, context) => {
    const names = new Set(request.columnNames);
    if (names.size !== request.columnNames.length)
      context.addIssue({ code: 'custom', message: 'a column name is listed twice' });
    for (const phone of request.phoneColumns) {
      if (!names.has(phone.columnName))
        context.addIssue({
          code: 'custom',
          message: `phone column "${phone.columnName}" is not one of the columns`,
        });
    }
  });
export type CreateListRequest = z.infer<typeof CreateListRequest>;

export const listsChannels = {
  'lists:search': channel(ListSearchRequest, ListPage),
  'lists:get': channel(ListRef, ContactListDetail),
  'lists:saveSchema': channel(
    SaveSchemaRequest,
    z.object({ filePath: z.string(), bytes: z.number() }),
  ),
  'lists:create': channel(CreateListRequest, ContactListSummary),
};
