import { it } from 'vitest';
import {
  callGenesys,
  createGenesysApiClient,
  toGenesysApiError,
  type GenesysApiClients,
  type GenesysApiError,
} from '../../core/genesys/sdk-client';
import {
  startSandbox,
  type DeepPartial,
  type Sandbox,
  type SandboxConfig,
} from '../../core/sandbox';

/**
 * Where the fidelity tests run: a Sandbox each file starts on 127.0.0.1 (the default, and what
 * `npm test` runs), or a real Genesys Cloud org when `npm run test:live` sets
 * SLUICE_FIDELITY_TARGET=live with GENESYS_LIVE_REGION, GENESYS_LIVE_CLIENT_ID,
 * GENESYS_LIVE_CLIENT_SECRET and GENESYS_LIVE_LIST_ID (a scratch list the tests may write to and
 * clean up). Never live in CI: tests/fidelity/run-live.mjs refuses.
 */
export interface FidelityTarget {
  kind: 'sandbox' | 'live';
  /** A signed-in SDK client (client credentials through the SDK). */
  sdk: GenesysApiClients;
  accessToken: string;
  /** A contact list the tests may write to: a fresh Sandbox list, or the live scratch list. */
  listId: string;
  /** The Sandbox, for inspection; undefined on a live org. */
  sandbox: Sandbox | undefined;
  stop(): Promise<void>;
}

/** The live settings, or undefined when the tests target a Sandbox. */
export function liveSettings():
  { region: string; clientId: string; clientSecret: string; listId: string } | undefined {
  if (process.env.SLUICE_FIDELITY_TARGET !== 'live') return undefined;
  const region = process.env.GENESYS_LIVE_REGION;
  const clientId = process.env.GENESYS_LIVE_CLIENT_ID;
  const clientSecret = process.env.GENESYS_LIVE_CLIENT_SECRET;
  const listId = process.env.GENESYS_LIVE_LIST_ID;
  if (!region || !clientId || !clientSecret || !listId) {
    throw new Error(
      'SLUICE_FIDELITY_TARGET=live needs GENESYS_LIVE_REGION, GENESYS_LIVE_CLIENT_ID, GENESYS_LIVE_CLIENT_SECRET and GENESYS_LIVE_LIST_ID.',
    );
  }
  return { region, clientId, clientSecret, listId };
}

/** True when this run targets a real org. */
export const isLive = liveSettings() !== undefined;

/** Columns of the Sandbox scratch list (a live scratch list has its own: read them). */
export const SANDBOX_LIST = {
  name: 'Fidelity scratch',
  columnNames: ['CrmId', 'FirstName', 'Phone'],
  phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
};

/**
 * Starts the target: on a Sandbox, `overrides` and the clock `now` shape it and a fresh scratch
 * list is created in its first org; on a live org they are ignored (tests needing them are
 * sandbox-only).
 */
export async function startTarget(
  overrides: DeepPartial<SandboxConfig> = {},
  options: { now?: () => number } = {},
): Promise<FidelityTarget> {
  const live = liveSettings();
  if (live !== undefined) {
    const sdk = createGenesysApiClient({ region: live.region }, { timeoutMs: 30_000 });
    const auth = await login(sdk, live.clientId, live.clientSecret);
    return {
      kind: 'live',
      sdk,
      accessToken: auth,
      listId: live.listId,
      sandbox: undefined,
      stop: async () => {},
    };
  }
  const sandbox = await startSandbox({
    scenario: 'demo',
    overrides,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const org = sandbox.orgs[0];
  if (org === undefined) throw new Error('The Sandbox has no org.');
  const list = sandbox.inspect.createContactList(org.id, SANDBOX_LIST);
  const sdk = createGenesysApiClient({ baseUrl: sandbox.url });
  const accessToken = await login(sdk, org.clientId, org.clientSecret);
  return {
    kind: 'sandbox',
    sdk,
    accessToken,
    listId: list.id,
    sandbox,
    stop: () => sandbox.stop(),
  };
}

async function login(sdk: GenesysApiClients, clientId: string, secret: string): Promise<string> {
  const auth = await sdk.apiClient
    .loginClientCredentialsGrant(clientId, secret)
    .catch((error: unknown) => {
      throw toGenesysApiError(error);
    });
  return auth.accessToken;
}

/**
 * A test that needs Sandbox-only control (clock, dialing, lowered caps, forced 429s). On a live
 * org it is skipped, and the reason is printed once so the run says what it did not check.
 */
export function sandboxOnly(title: string, reason: string, test: () => Promise<void>): void {
  if (isLive) {
    console.info(`[fidelity] skipped on a live org: ${title} (${reason})`);
    it.skip(`${title} [sandbox only: ${reason}]`, test);
    return;
  }
  it(title, test);
}

/** Calls the SDK and returns the typed error it rejects with (fails the test if it resolves). */
export async function failureOf(call: () => Promise<unknown>): Promise<GenesysApiError> {
  try {
    await callGenesys(call);
  } catch (error) {
    return error as GenesysApiError;
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}

/** A run-unique prefix for contact ids, so live runs never collide and can clean up. */
export function idPrefix(name: string): string {
  return `fidelity-${name}-${Date.now().toString(36)}-`;
}

/** Reads the scratch list (columns and first phone column) through the API. */
export async function readList(target: FidelityTarget): Promise<{
  columnNames: string[];
  phoneColumn: string;
  version: number;
}> {
  const answer = await callGenesys<{
    columnNames: string[];
    phoneColumns: { columnName: string }[];
    version: number;
  }>(() => target.sdk.outbound.getOutboundContactlist(target.listId));
  const phoneColumn = answer.body.phoneColumns[0]?.columnName;
  if (phoneColumn === undefined) throw new Error('The scratch list needs a phone column.');
  return { columnNames: answer.body.columnNames, phoneColumn, version: answer.body.version };
}

/** Removes the contacts a test wrote (live lists are shared scratch space). */
export async function removeContacts(target: FidelityTarget, ids: string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 100) {
    await callGenesys(() =>
      target.sdk.outbound.deleteOutboundContactlistContacts(
        target.listId,
        ids.slice(start, start + 100),
      ),
    );
  }
}

/** After a file's tests: removes the contacts they wrote from a live list, then stops the target. */
export async function stopTarget(target: FidelityTarget, written: string[]): Promise<void> {
  if (target.kind === 'live') await removeContacts(target, written);
  await target.stop();
}
