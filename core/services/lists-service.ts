import path from 'node:path';
import type { Services } from '../contract';
import { readContactListJson, type ContactListJson } from '../genesys/contact-list-reader';
import {
  createContactList,
  searchContactLists,
  summariseContactList,
  writeContactListSchema,
} from '../genesys/contact-lists';
import type { OrgRegistry } from './orgs-registry';
import { toContractError } from './orgs-support';
import type { FileAccess } from './file-access';
import { refuseToOverwrite } from './file-guard';

type Connection = Awaited<ReturnType<OrgRegistry['connection']>>;

type ListsChannel = 'lists:search' | 'lists:get' | 'lists:saveSchema' | 'lists:create';

/**
 * The `lists:*` handlers: browse, load, save and create contact lists of a signed-in org (a
 * client-credentials org signs in on first use). Failures become ContractErrors naming the
 * missing permission or what to fix. Schemas saved without a path go to
 * `<dataFolder>/schemas/<org id>/<list name>.json`.
 */
export function createListsServices(
  registry: OrgRegistry,
  dataFolder: string,
  files: FileAccess,
): Pick<Services, ListsChannel> {
  const withOrg = async <T>(
    orgId: string,
    action: string,
    permission: string,
    work: (api: Connection['api']) => Promise<T>,
  ): Promise<T> => {
    const connection = await registry.connection(orgId);
    try {
      return await work(connection.api);
    } catch (error) {
      throw toContractError(error, connection.orgLabel, action, permission);
    }
  };
  const readList = listJsonReader(registry);
  return {
    'lists:search': ({ orgId, name, pageNumber, pageSize, sortOrder }) =>
      withOrg(orgId, 'list contact lists', 'outbound:contactList:view', (api) =>
        searchContactLists(api, { name, pageNumber, pageSize, sortOrder }),
      ),
    'lists:get': async ({ orgId, listId }) => {
      const json = await readList(orgId, listId);
      return { summary: summariseContactList(json), json };
    },
    'lists:saveSchema': async ({ orgId, listId, filePath: requested, overwrite }) => {
      const filePath = requested && files.check(requested, 'write', 'the schema file');
      if (filePath) refuseToOverwrite([filePath], overwrite);
      const json = await readList(orgId, listId);
      const target =
        filePath ??
        path.join(
          dataFolder,
          'schemas',
          orgId,
          `${safeFileName(String(json.name ?? listId))}.json`,
        );
      return { filePath: target, bytes: await writeContactListSchema(json, target) };
    },
    'lists:create': ({ orgId, ...request }) =>
      withOrg(orgId, `create contact list "${request.name}"`, 'outbound:contactList:add', (api) =>
        createContactList(api, request),
      ),
  };
}

/**
 * Reads a list's JSON from a signed-in org through the one list reader (the list screens, the
 * schema loader and a run's start all use it); failures become ContractErrors with advice.
 */
export function listJsonReader(
  registry: OrgRegistry,
): (
  orgId: string,
  listId: string,
  options?: { includeSize?: boolean },
) => Promise<ContactListJson> {
  return async (orgId, listId, options = {}) => {
    const connection = await registry.connection(orgId);
    try {
      return await readContactListJson({
        apiUrl: connection.apiUrl,
        tokenSource: connection.tokens,
        contactListId: listId,
        ...(options.includeSize ? { includeSize: true } : {}),
      });
    } catch (error) {
      throw toContractError(error, connection.orgLabel, `read contact list ${listId}`);
    }
  };
}

/** A list name made safe as a file name on every OS (no separators, reserved characters). */
function safeFileName(name: string): string {
  const cleaned = [...name]
    .map((char) => (char.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(char) ? '_' : char))
    .join('')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  return cleaned.slice(0, 120) || 'contact-list';
}
