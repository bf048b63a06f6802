import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passedLimits } from '../../core/genesys/http/gate-feedback';
import { batchBody, contactJson } from '../../core/engine/contacts/batcher';
import { createSdkTransport } from '../../core/engine/contacts/sdk-transport';
import { createFetchTransport, type ContactsTransport } from '../../core/engine/contacts/transport';
import {
  startSandbox,
  type DeepPartial,
  type Sandbox,
  type SandboxConfig,
} from '../../core/sandbox';
import { orgTokenSource } from '../support/sandbox-sdk';

// Which failed answers the limiter counts as having spent the rate limits' budget
// (gate-feedback.ts `passedLimits`), told from the answers the real transports give for each of
// the Sandbox's faults: a reset and a dropped commit came after the limits counted the request,
// a timeout is counted nowhere, and a refused connection never reached Genesys. Each is told
// by the structured field the transport's error carries (its code, its cause's code, or its
// name), read into the answer's `failure` and `errorCode`; never by the error's wording.

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5 });
});
afterAll(() => sandbox.stop());

const TIMEOUT_MS = 400;

/** The field each transport's error carries for each failure, as its library sets it. */
interface ErrorCodes {
  /** The connection closed before the answer came (a reset, or a commit whose answer dropped). */
  cutOff: string;
  timedOut: string;
  refused: string;
}
const transports: Array<[string, (url: string) => ContactsTransport, ErrorCodes]> = [
  // fetch (undici): `cause.code` of its TypeError; its timeout signal's DOMException name.
  [
    'fetch',
    (url) => createFetchTransport({ apiUrl: url, timeoutMs: TIMEOUT_MS }),
    { cutOff: 'UND_ERR_SOCKET', timedOut: 'TimeoutError', refused: 'ECONNREFUSED' },
  ],
  // The SDK (axios): the AxiosError's `code`; ECONNABORTED is axios's timeout.
  [
    'SDK',
    (url) => createSdkTransport({ baseUrl: url }, { timeoutMs: TIMEOUT_MS }),
    { cutOff: 'ECONNRESET', timedOut: 'ECONNABORTED', refused: 'ECONNREFUSED' },
  ],
];

/** One contact POST under `faults` (each drawn for every request), with the list it went to. */
async function postUnder(
  faults: DeepPartial<SandboxConfig['faults']>,
  transport: (url: string) => ContactsTransport,
) {
  sandbox.inspect.reset('demo', { faults: { ...faults, endpoints: [] } });
  const accessToken = await orgTokenSource(sandbox).getAccessToken();
  const listId = sandbox.inspect.orgs()[0]?.contactListIds[0] ?? '';
  const contact = { id: 'K-1', data: { FirstName: 'Ada' } };
  const row = { rowNumber: 1, contact, json: contactJson(listId, contact) };
  const result = await transport(sandbox.url).postContacts({
    contactListId: listId,
    bodyJson: batchBody([row]),
    accessToken,
  });
  return { result, listId };
}

describe.each(transports)('passedLimits with the %s transport', (_name, transport, codes) => {
  it('counts a 503: the limits counted the request before the service failed', async () => {
    const { result } = await postUnder({ status503: 1 }, transport);
    expect(result.kind === 'response' && result.status).toBe(503);
    expect(passedLimits(result)).toBe(true);
  });

  it('counts a commit whose answer was dropped, and the Sandbox stored the contact', async () => {
    const { result, listId } = await postUnder({ commitThenDrop: 1 }, transport);
    expect(result).toMatchObject({ kind: 'network', failure: 'cut-off', errorCode: codes.cutOff });
    expect(passedLimits(result)).toBe(true);
    expect(sandbox.inspect.contacts(listId).filter((c) => c.id === 'K-1')).toHaveLength(1);
    expect(sandbox.inspect.requests().at(-1)?.outcome).toBe('commit-then-drop');
  });

  it('counts a reset connection', async () => {
    const { result, listId } = await postUnder({ connectionReset: 1 }, transport);
    expect(result).toMatchObject({ kind: 'network', failure: 'cut-off', errorCode: codes.cutOff });
    expect(passedLimits(result)).toBe(true);
    expect(sandbox.inspect.contacts(listId).filter((c) => c.id === 'K-1')).toEqual([]);
  });

  it('does not count a request that got no answer within the timeout', async () => {
    const { result } = await postUnder({ timeout: 1 }, transport);
    expect(result).toMatchObject({
      kind: 'network',
      failure: 'timed-out',
      errorCode: codes.timedOut,
    });
    expect(passedLimits(result)).toBe(false);
  });

  it('does not count a 401 (the token is checked before the limits) nor a refused connection', async () => {
    sandbox.inspect.reset('demo');
    const listId = sandbox.inspect.orgs()[0]?.contactListIds[0] ?? '';
    const denied = await transport(sandbox.url).postContacts({
      contactListId: listId,
      bodyJson: '[]',
      accessToken: 'not-a-token',
    });
    expect(denied.kind === 'response' && denied.status).toBe(401);
    expect(passedLimits(denied)).toBe(false);
    const closedUrl = await closedPortUrl();
    const refused = await transport(closedUrl).postContacts({
      contactListId: listId,
      bodyJson: '[]',
      accessToken: 'x',
    });
    expect(refused).toMatchObject({
      kind: 'network',
      failure: 'never-connected',
      errorCode: codes.refused,
    });
    expect(passedLimits(refused)).toBe(false);
  });
});

/** A 127.0.0.1 URL whose port nothing listens on (a server opened, then closed). */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
