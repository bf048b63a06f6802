import type { ApiRouter } from './api-context';
import { validateContacts } from './contact-validation';
import { SandboxHttpError, notFound, queryFlag, readJson } from './http-kit';

const LIST = '/api/v2/outbound/contactlists/{id}';

/**
 * Contact routes (docs/GENESYS.md#endpoints): `POST .../contacts` upserts a batch (query
 * `priority`, `clearSystemData`, `doNotQueue`, docs/GENESYS.md#contact-do-not-queue) and returns
 * the stored contacts with ids; it answers 409 while a file import writes into the list
 * (docs/GENESYS.md#request-level-errors). `POST .../contacts/bulk` gets by ids; `DELETE
 * .../contacts?contactIds=` removes; single-contact get/update/delete; `POST .../clear` empties
 * the list.
 */
export function registerContactRoutes(router: ApiRouter): void {
  router
    .add('POST', `${LIST}/contacts`, (context) => {
      const state = context.store.getList(context.params.id ?? '');
      const body = readJson(context);
      const contacts = validateContacts(body, state.list, context.config.rules);
      if (state.importRunning) {
        throw new SandboxHttpError(
          409,
          'resource.conflict',
          `Contact list '${state.list.name}' is being imported; add contacts after the import finishes.`,
        );
      }
      const stored = context.store.upsert(state, contacts, {
        source: 'api',
        doNotQueue: queryFlag(context.query, 'doNotQueue'),
        priority: queryFlag(context.query, 'priority'),
        clearSystemData: queryFlag(context.query, 'clearSystemData'),
        nowMs: context.nowMs,
      });
      return { status: 200, body: stored, contactCount: contacts.length };
    })
    .add('POST', `${LIST}/contacts/bulk`, (context) => {
      const state = context.store.getList(context.params.id ?? '');
      const ids = readJson(context);
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new SandboxHttpError(
          400,
          'bad.request',
          'The request body must be a JSON array of contact ids.',
        );
      }
      if (ids.length > 1000) {
        throw new SandboxHttpError(
          400,
          'bad.request',
          `At most 1000 contact ids per request (got ${ids.length}).`,
        );
      }
      const found = ids.flatMap((id) => {
        const contact = state.contacts.get(id);
        return contact === undefined ? [] : [contact];
      });
      return { status: 200, body: found };
    })
    .add('DELETE', `${LIST}/contacts`, (context) => {
      const state = context.store.getList(context.params.id ?? '');
      const ids = context.query
        .getAll('contactIds')
        .concat(context.query.getAll('contactIds[]'))
        .flatMap((value) => value.split(','))
        .map((id) => id.trim())
        .filter(Boolean);
      if (ids.length === 0) {
        throw new SandboxHttpError(
          400,
          'bad.request',
          'contactIds is required (one or more contact ids).',
        );
      }
      context.store.removeContacts(state, ids);
      return { status: 204 };
    })
    .add('GET', `${LIST}/contacts/{contactId}`, (context) => {
      const state = context.store.getList(context.params.id ?? '');
      const contactId = context.params.contactId ?? '';
      const contact = state.contacts.get(contactId);
      if (contact === undefined) throw notFound('contact', contactId);
      return { status: 200, body: contact };
    })
    .add('PUT', `${LIST}/contacts/{contactId}`, (context) => {
      const state = context.store.getList(context.params.id ?? '');
      const contactId = context.params.contactId ?? '';
      if (!state.contacts.has(contactId)) throw notFound('contact', contactId);
      const body = readJson(context);
      const [contact] = validateContacts(
        [{ ...(body as object), id: contactId }],
        state.list,
        context.config.rules,
      );
      const [stored] = context.store.upsert(state, contact === undefined ? [] : [contact]);
      return { status: 200, body: stored };
    })
    .add('DELETE', `${LIST}/contacts/{contactId}`, (context) => {
      const state = context.store.getList(context.params.id ?? '');
      const contactId = context.params.contactId ?? '';
      if (context.store.removeContacts(state, [contactId]) === 0)
        throw notFound('contact', contactId);
      return { status: 204 };
    })
    .add('POST', `${LIST}/clear`, (context) => {
      const state = context.store.getList(context.params.id ?? '');
      context.store.clearList(state);
      return { status: 204 };
    });
}
