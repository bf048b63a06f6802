import path from 'node:path';
import type { Services } from '../contract';
import {
  createContactList,
  getContactListJson,
  searchContactLists,
  summariseContactList,
  writeContactListSchema,
} from '../genesys/contact-lists';
import type { OrgRegistry } from './orgs-registry';
import { toContractError } from './orgs-support';
import type { FileAccess } from './file-access';
import { refuseToOverwrite } from './file-guard';

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
    work: (api: Awaited<ReturnType<OrgRegistry['connection']>>['api']) => Promise<T>,
  ): Promise<T> => {
    const connection = await registry.connection(orgId);
    try {
      return await work(connection.api);
    } catch (error) {
      throw toContractError(error, connection.orgLabel, action, permission);
    }
  };
  return {
    'lists:search': ({ orgId, name, pageNumber, pageSize, sortOrder }) =>
      withOrg(orgId, 'list contact lists', 'outbound:contactList:view', (api) =>
        searchContactLists(api, { name, pageNumber, pageSize, sortOrder }),
      ),
    'lists:get': ({ orgId, listId }) =>
      withOrg(orgId, `read contact list ${listId}`, 'outbound:contactList:view', async (api) => {
        const json = await getContactListJson(api, listId);
        return { summary: summariseContactList(json), json };
      }),
    'lists:saveSchema': ({ orgId, listId, filePath: requested, overwrite }) => {
      const filePath = requested && files.check(requested, 'write', 'the schema file');
      if (filePath) refuseToOverwrite([filePath], overwrite);
      return withOrg(
        orgId,
        `read contact list ${listId}`,
        'outbound:contactList:view',
        async (api) => {
          const json = await getContactListJson(api, listId);
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
      );
    },
    'lists:create': ({ orgId, ...request }) =>
      withOrg(orgId, `create contact list "${request.name}"`, 'outbound:contactList:add', (api) =>
        createContactList(api, request),
      ),
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
