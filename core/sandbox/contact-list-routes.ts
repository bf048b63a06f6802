import type { ApiContext, ApiRouter } from './api-context';
import { SandboxHttpError, queryFlag, readJson } from './http-kit';
import type { ListState } from './org-store';
import type { ContactList } from './types';

const BASE = '/api/v2/outbound/contactlists';

/**
 * Contact list routes (docs/GENESYS.md#endpoints): paged listing with `pageSize` ≤ 100, `name`
 * filter, sorting and the `includeSize`/`includeImportStatus` extras (the size lags behind an
 * import, docs/GENESYS.md#list-size-lag); get, create, update (version-checked, 409) and delete.
 */
export function registerContactListRoutes(router: ApiRouter): void {
  router
    .add('GET', BASE, listContactLists)
    .add('POST', BASE, (context) => {
      const body = readJson(context);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new SandboxHttpError(
          400,
          'bad.request',
          'The request body must be a contact list object.',
        );
      }
      const list = context.store.createList(body as ContactList);
      return { status: 200, body: list };
    })
    .add('GET', `${BASE}/{id}`, (context) => {
      const state = context.store.getList(context.params.id ?? '');
      return { status: 200, body: view(state, context) };
    })
    .add('PUT', `${BASE}/{id}`, (context) => {
      const list = context.store.updateList(context.params.id ?? '', readJson(context));
      return { status: 200, body: list };
    })
    .add('DELETE', `${BASE}/{id}`, (context) => {
      context.store.deleteList(context.params.id ?? '');
      return { status: 204 };
    });
}

function listContactLists(context: ApiContext) {
  const pageSize = integerParam(context, 'pageSize', 25);
  const pageNumber = integerParam(context, 'pageNumber', 1);
  if (pageSize < 1 || pageSize > 100) {
    throw new SandboxHttpError(
      400,
      'invalid.value',
      `pageSize must be between 1 and 100 (got ${pageSize}).`,
    );
  }
  if (pageNumber < 1)
    throw new SandboxHttpError(400, 'invalid.value', 'pageNumber must be 1 or more.');
  const nameFilter = context.query.get('name')?.toLowerCase();
  const sortBy = context.query.get('sortBy') ?? 'name';
  const descending = context.query.get('sortOrder')?.toLowerCase() === 'descending';
  const matching = [...context.store.lists.values()].filter(
    (state) => nameFilter === undefined || state.list.name.toLowerCase().includes(nameFilter),
  );
  matching.sort((a, b) => {
    const left = sortBy === 'dateCreated' ? a.list.dateCreated : a.list.name.toLowerCase();
    const right = sortBy === 'dateCreated' ? b.list.dateCreated : b.list.name.toLowerCase();
    const order = left < right ? -1 : left > right ? 1 : 0;
    return descending ? -order : order;
  });
  const total = matching.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const start = (pageNumber - 1) * pageSize;
  const entities = matching.slice(start, start + pageSize).map((state) => view(state, context));
  const uri = (page: number) => `${BASE}?pageSize=${pageSize}&pageNumber=${page}`;
  return {
    status: 200,
    body: {
      entities,
      pageSize,
      pageNumber,
      total,
      pageCount,
      firstUri: uri(1),
      selfUri: uri(pageNumber),
      lastUri: uri(pageCount),
      ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
      ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
    },
  };
}

/** The list as returned, with `size`/`importStatus` only when asked for. */
function view(
  state: ListState,
  context: ApiContext,
): ContactList & { size?: number; importStatus?: unknown } {
  const withSize = queryFlag(context.query, 'includeSize');
  const withImport = queryFlag(context.query, 'includeImportStatus');
  if (!withSize && !withImport) return state.list;
  return {
    ...state.list,
    ...(withSize
      ? { size: context.store.reportedSize(state, context.nowMs, context.config.listSizeLagMs) }
      : {}),
    ...(withImport && state.importStatus !== undefined ? { importStatus: state.importStatus } : {}),
  };
}

function integerParam(context: ApiContext, name: string, fallback: number): number {
  const raw = context.query.get(name);
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw))
    throw new SandboxHttpError(400, 'invalid.value', `${name} must be an integer (got '${raw}').`);
  return Number(raw);
}
