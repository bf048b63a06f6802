import { SandboxHttpError } from './http-kit';
import type { ContactList, ContactRules } from './types';

/** A contact from a request body after validation: values are strings, trimmed if the list says so. */
export interface ValidContact {
  id: string | undefined;
  data: Record<string, string>;
  callable: boolean | undefined;
  phoneNumberStatus: Record<string, { callable: boolean }> | undefined;
}

const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Validates a `POST .../contacts` body against the list and the request rules, for the whole
 * request at once (the real API answers 400 for the whole batch and names the problem; nothing
 * is stored). Rules: help article "Create a new contact list" (512-char values, list columns
 * only, docs/GENESYS.md#list-value-limits); column names match the list's case-insensitively and
 * are stored in the list's spelling (docs/GENESYS.md#column-match-case-insensitive); the
 * per-request contact cap is unconfirmed and configurable (docs/GENESYS.md#request-caps).
 */
export function validateContacts(
  body: unknown,
  list: ContactList,
  rules: ContactRules,
): ValidContact[] {
  if (!Array.isArray(body)) {
    throw bad('The request body must be a JSON array of contacts (WritableDialerContact[]).');
  }
  if (body.length === 0) throw bad('The request contains no contacts.');
  if (body.length > rules.maxContactsPerRequest) {
    throw new SandboxHttpError(
      400,
      'contact.count.exceeded',
      `A request may add at most ${rules.maxContactsPerRequest} contacts; this one has ${body.length}. Split it into smaller batches.`,
    );
  }
  const columns = columnLookup(list.columnNames);
  const specs = new Map(
    list.columnDataTypeSpecifications.map((spec) => [spec.columnName, spec] as const),
  );
  const valid: ValidContact[] = new Array(body.length);
  for (let index = 0; index < body.length; index += 1) {
    valid[index] = validateOne(body[index], index, list, columns, specs, rules);
  }
  return valid;
}

function validateOne(
  raw: unknown,
  index: number,
  list: ContactList,
  columns: Map<string, string>,
  specs: Map<string, ContactList['columnDataTypeSpecifications'][number]>,
  rules: ContactRules,
): ValidContact {
  const where = `contacts[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw bad(`${where} must be an object with contactListId and data.`);
  }
  const contact = raw as Record<string, unknown>;
  if (contact.contactListId !== list.id) {
    throw bad(
      `${where}.contactListId '${String(contact.contactListId)}' does not match the contact list '${list.id}' in the path.`,
    );
  }
  if (contact.id !== undefined && (typeof contact.id !== 'string' || contact.id === '')) {
    throw bad(`${where}.id must be a non-empty string when present.`);
  }
  const rawData = contact.data;
  if (typeof rawData !== 'object' || rawData === null || Array.isArray(rawData)) {
    throw bad(`${where}.data must be an object of column name to value.`);
  }
  const data: Record<string, string> = {};
  for (const [sent, value] of Object.entries(rawData as Record<string, unknown>)) {
    const column = columns.get(sent.toLowerCase());
    if (column === undefined) {
      throw bad(
        `${where}.data has column '${sent}', which is not a column of list '${list.name}'.`,
      );
    }
    if (value !== null && typeof value === 'object') {
      throw bad(`${where}.data.${column} must be a string.`);
    }
    let text = value === null || value === undefined ? '' : String(value);
    if (list.trimWhitespace) text = text.trim();
    if (text.length > rules.maxValueLength) {
      throw bad(
        `${where}.data.${column} is ${text.length} characters long; the maximum is ${rules.maxValueLength}.`,
      );
    }
    const spec = specs.get(column);
    if (spec !== undefined && text !== '') checkDataType(text, spec, `${where}.data.${column}`);
    data[column] = text;
  }
  return {
    id: contact.id as string | undefined,
    data,
    callable: typeof contact.callable === 'boolean' ? contact.callable : undefined,
    phoneNumberStatus:
      typeof contact.phoneNumberStatus === 'object' && contact.phoneNumberStatus !== null
        ? (contact.phoneNumberStatus as Record<string, { callable: boolean }>)
        : undefined,
  };
}

/** List column names by their lower-case form, so a sent name finds the list's spelling. */
export function columnLookup(columnNames: readonly string[]): Map<string, string> {
  return new Map(columnNames.map((name) => [name.toLowerCase(), name] as const));
}

function checkDataType(
  text: string,
  spec: ContactList['columnDataTypeSpecifications'][number],
  where: string,
): void {
  if (spec.columnDataType === 'NUMERIC') {
    const value = Number(text);
    if (!Number.isFinite(value))
      throw bad(`${where} '${text}' is not a number (column is NUMERIC).`);
    if (spec.min !== undefined && value < spec.min)
      throw bad(`${where} ${value} is below the minimum ${spec.min}.`);
    if (spec.max !== undefined && value > spec.max)
      throw bad(`${where} ${value} is above the maximum ${spec.max}.`);
  } else if (spec.columnDataType === 'TIMESTAMP') {
    if (!TIMESTAMP_PATTERN.test(text) || Number.isNaN(Date.parse(text.replace(' ', 'T')))) {
      throw bad(
        `${where} '${text}' is not a timestamp (column is TIMESTAMP, e.g. 2026-03-01 14:30).`,
      );
    }
  } else if (spec.maxLength !== undefined && text.length > spec.maxLength) {
    throw bad(`${where} is ${text.length} characters long; the column allows ${spec.maxLength}.`);
  }
}

function bad(message: string): SandboxHttpError {
  return new SandboxHttpError(400, 'bad.request', message);
}
