/**
 * Genesys Cloud contact-list limits (help.mypurecloud.com "Create a new contact list",
 * docs/GENESYS.md). Every check in core/csv reads them from here so a change is made once.
 */
export const GENESYS_LIMITS = {
  /** Columns per contact list. */
  maxColumns: 50,
  /** Characters in a column (header) name. */
  maxColumnNameLength: 128,
  /** Characters in one contact value. */
  maxValueLength: 512,
} as const;
