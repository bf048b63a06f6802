import {
  SandboxHttpError,
  notFound,
  readJson,
  type RouteContext,
  type RouteResult,
} from './http-kit';
import { Router } from './router';
import { SCENARIO_NAMES } from './scenarios';
import type {
  ContactList,
  ContactWriteRecord,
  DeepPartial,
  RequestLogEntry,
  SandboxConfig,
  SandboxCounters,
  SandboxOrgInfo,
  ScenarioName,
  ScriptedAnswer,
  StoredContact,
} from './types';
import type { SandboxWorld } from './world';

/** In-process inspection for tests: the same data as the `/__sandbox/...` HTTP routes. */
export interface SandboxInspector {
  /** Every contact of a list, as the API would return it (do not mutate). Throws on an unknown list. */
  contacts(listId: string): StoredContact[];
  /**
   * Per stored contact of a list: how many writes committed it (API upserts, including those
   * whose response was dropped, and imports), the query flags of its last `POST .../contacts`
   * and its queue state. Copies; throws on an unknown list.
   */
  contactWrites(listId: string): ContactWriteRecord[];
  /**
   * Dials contacts as a running campaign would: the given ids, or every queued contact of the
   * list. They leave the queue and gain a call record. Returns how many were dialed.
   */
  markDialed(listId: string, ids?: string[]): number;
  /** The request log, oldest first (a copy of the array; entries are shared). */
  requests(): RequestLogEntry[];
  /** Empties the request log (counters and stored data stay). */
  clearRequests(): void;
  /**
   * Answers the next matching requests with these errors instead of handling them (after auth,
   * limits and the size check; before faults), e.g. a 409 on the contacts route.
   */
  scriptAnswers(answers: ScriptedAnswer[]): void;
  counters(): SandboxCounters;
  /** Rebuilds all state from a scenario (default: the current one) and overrides; tokens are revoked. */
  reset(scenario?: ScenarioName, overrides?: DeepPartial<SandboxConfig>): void;
  /** Creates a list in an org without going through HTTP (and its limits). */
  createContactList(
    orgId: string,
    list: Partial<ContactList> & { name: string; columnNames: string[] },
  ): ContactList;
  /** The orgs with their credentials and current list ids. */
  orgs(): SandboxOrgInfo[];
  /** The active configuration (after overrides). */
  config(): SandboxConfig;
  /** Revokes every issued token now (tests of the 401-then-refresh path). */
  expireTokens(): void;
  /**
   * Replaces an org's client secret and revokes its tokens, as an admin rotating the secret
   * would: the old secret is refused from now on (tests of a refused secret mid-run).
   */
  rotateClientSecret(orgId: string, clientSecret: string): void;
}

/** Builds the inspector over a world; `scenario` is what `reset()` falls back to. */
export function createInspector(
  world: SandboxWorld,
  current: { scenario: ScenarioName },
): SandboxInspector {
  const findList = (listId: string) => {
    for (const store of world.stores.values()) {
      const state = store.lists.get(listId);
      if (state !== undefined) return state;
    }
    throw notFound('contact list', listId);
  };
  return {
    contacts: (listId) => [...findList(listId).contacts.values()],
    contactWrites: (listId) =>
      [...findList(listId).records.values()].map((record) => ({
        ...record,
        lastFlags: record.lastFlags === undefined ? undefined : { ...record.lastFlags },
      })),
    markDialed: (listId, ids) => {
      const state = findList(listId);
      for (const store of world.stores.values())
        if (store.lists.get(listId) === state) return store.markDialed(state, ids, world.now());
      return 0;
    },
    requests: () => [...world.log],
    clearRequests: () => {
      world.log = [];
    },
    scriptAnswers: (answers) => {
      world.scripted.push(...answers.map((answer) => ({ ...answer })));
    },
    counters: () => world.snapshotCounters(),
    reset: (scenario, overrides) => {
      world.auth.revokeAll();
      world.reset(scenario ?? current.scenario, overrides);
      current.scenario = scenario ?? current.scenario;
    },
    createContactList: (orgId, list) => {
      const store = world.stores.get(orgId);
      if (store === undefined) throw new Error(`No sandbox org with id '${orgId}'.`);
      return store.createList(list);
    },
    orgs: () => describeOrgs(world),
    config: () => world.config,
    expireTokens: () => world.auth.revokeAll(),
    rotateClientSecret: (orgId, clientSecret) => {
      const org = world.config.orgs.find((candidate) => candidate.id === orgId);
      if (org === undefined) throw new Error(`No sandbox org with id '${orgId}'.`);
      if (clientSecret === '') throw new Error('The new client secret must not be empty.');
      org.clientSecret = clientSecret;
      world.auth.revokeOrg(orgId);
    },
  };
}

/** The public view of every org. */
export function describeOrgs(world: SandboxWorld): SandboxOrgInfo[] {
  return world.config.orgs.map((org) => ({
    id: org.id,
    name: org.name,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
    pkceClientId: org.pkceClientId,
    contactListIds: [...(world.stores.get(org.id)?.lists.keys() ?? [])],
  }));
}

/**
 * `/__sandbox/...` routes (loopback only, no auth, never rate limited): `GET orgs`, `GET
 * contacts/{listId}`, `GET contacts/{listId}/writes`, `POST contacts/{listId}/dial` with
 * `{ids?}`, `GET requests`, `DELETE requests`, `POST scripted-answers` with `ScriptedAnswer[]`,
 * `GET counters`, `GET config`, `POST reset` with `{scenario?, overrides?}`, `POST
 * orgs/{orgId}/contactlists`, `POST orgs/{orgId}/rotate-secret` with `{clientSecret}`, `POST
 * expire-tokens`.
 */
export function createInspectionRouter(inspector: SandboxInspector): Router {
  const ok = (body: unknown): RouteResult => ({ status: 200, body });
  return new Router()
    .add('GET', '/__sandbox/orgs', () => ok(inspector.orgs()))
    .add('GET', '/__sandbox/contacts/{listId}', (context) =>
      ok(inspector.contacts(context.params.listId ?? '')),
    )
    .add('GET', '/__sandbox/contacts/{listId}/writes', (context) =>
      ok(inspector.contactWrites(context.params.listId ?? '')),
    )
    .add('POST', '/__sandbox/contacts/{listId}/dial', (context) => {
      const body = context.rawBody.length === 0 ? {} : readJson(context);
      const ids = (body as { ids?: unknown } | null)?.ids;
      if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string')))
        throw new SandboxHttpError(400, 'bad.request', '`ids` must be an array of contact ids.');
      return ok({ dialed: inspector.markDialed(context.params.listId ?? '', ids) });
    })
    .add('GET', '/__sandbox/requests', () => ok(inspector.requests()))
    .add('DELETE', '/__sandbox/requests', () => {
      inspector.clearRequests();
      return { status: 204 };
    })
    .add('POST', '/__sandbox/scripted-answers', (context) => {
      const answers = readJson(context);
      if (!Array.isArray(answers) || !answers.every(isScriptedAnswer)) {
        throw new SandboxHttpError(
          400,
          'bad.request',
          'The body must be an array of {route, status, code, message, count}.',
        );
      }
      inspector.scriptAnswers(answers);
      return { status: 204 };
    })
    .add('GET', '/__sandbox/counters', () => ok(inspector.counters()))
    .add('GET', '/__sandbox/config', () => ok(inspector.config()))
    .add('POST', '/__sandbox/orgs/{orgId}/contactlists', (context) => {
      const body = readJson(context) as Parameters<SandboxInspector['createContactList']>[1];
      try {
        return ok(inspector.createContactList(context.params.orgId ?? '', body));
      } catch (error) {
        if (error instanceof SandboxHttpError) throw error;
        throw new SandboxHttpError(
          404,
          'not.found',
          error instanceof Error ? error.message : String(error),
        );
      }
    })
    .add('POST', '/__sandbox/orgs/{orgId}/rotate-secret', (context) => {
      const body = readJson(context) as { clientSecret?: unknown } | null;
      if (typeof body?.clientSecret !== 'string' || body.clientSecret === '')
        throw new SandboxHttpError(400, 'bad.request', 'The body needs a non-empty clientSecret.');
      try {
        inspector.rotateClientSecret(context.params.orgId ?? '', body.clientSecret);
      } catch (error) {
        throw new SandboxHttpError(404, 'not.found', (error as Error).message);
      }
      return { status: 204 };
    })
    .add('POST', '/__sandbox/expire-tokens', () => {
      inspector.expireTokens();
      return { status: 204 };
    })
    .add('POST', '/__sandbox/reset', (context: RouteContext) => {
      const body = context.rawBody.length === 0 ? {} : readJson(context);
      const { scenario, overrides } = (body ?? {}) as {
        scenario?: ScenarioName;
        overrides?: DeepPartial<SandboxConfig>;
      };
      if (scenario !== undefined && !SCENARIO_NAMES.includes(scenario)) {
        throw new SandboxHttpError(
          400,
          'bad.request',
          `Unknown scenario '${String(scenario)}'. Use one of: ${SCENARIO_NAMES.join(', ')}.`,
        );
      }
      try {
        inspector.reset(scenario, overrides);
      } catch (error) {
        throw new SandboxHttpError(
          400,
          'bad.request',
          error instanceof Error ? error.message : String(error),
        );
      }
      return ok(inspector.orgs());
    });
}

function isScriptedAnswer(value: unknown): value is ScriptedAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as Record<string, unknown>;
  return (
    typeof answer.route === 'string' &&
    typeof answer.status === 'number' &&
    typeof answer.code === 'string' &&
    typeof answer.message === 'string' &&
    typeof answer.count === 'number' &&
    answer.count > 0
  );
}
