import { readFile } from 'node:fs/promises';
import { ContractError, type SchemaSource } from '../contract';
import { readContactListSchema, type ContactListSchema } from '../csv';

/** A list's JSON exactly as `GET /api/v2/outbound/contactlists/{id}` returns it. */
export type FetchListJson = (orgId: string, listId: string) => Promise<unknown>;

/** Reads a contact list's columns from wherever the consultant pointed: a saved file or an org. */
export type SchemaLoader = (source: SchemaSource) => Promise<ContactListSchema>;

/**
 * Builds the loader the CSV and mapping-template services share. A schema file that cannot be
 * read or is not a list becomes a contract error saying how to get a good one.
 */
export function createSchemaLoader(fetchListJson: FetchListJson | undefined): SchemaLoader {
  return async (source) => {
    if (source.kind === 'file') {
      const text = await readFile(source.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new ContractError(
          'not-found',
          `Cannot read the schema file ${source.path}: ${error.code ?? error.message}`,
        );
      });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ContractError(
          'invalid-request',
          `${source.path} is not JSON: save the list's schema again from the Contact lists screen.`,
        );
      }
      return readContactListSchema(json, source.path);
    }
    if (!fetchListJson) {
      throw new ContractError(
        'unavailable',
        'Reading a list from an org is not available here: use a saved schema file.',
      );
    }
    return readContactListSchema(
      await fetchListJson(source.orgId, source.listId),
      'the contact list',
    );
  };
}
