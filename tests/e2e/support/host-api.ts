import WebSocket from 'ws';
import type { ChannelName, RequestOf, ResponseOf, WireMessage } from '../../../core/contract';
import { HOST_SOCKET_PATH, HOST_TOKEN_PARAM } from '../../../core/contract';
import type { HostProcess } from './host-process';

/**
 * Calls a contract channel on a running web host the way its page does (WebSocket, token, page
 * origin), so a test can learn facts the UI does not print (e.g. the Sandbox org's address).
 */
export async function callHost<C extends ChannelName>(
  host: HostProcess,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const url = new URL(HOST_SOCKET_PATH, host.origin);
  url.protocol = 'ws:';
  url.searchParams.set(HOST_TOKEN_PARAM, host.token);
  const socket = new WebSocket(url, { origin: host.origin });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return await new Promise<ResponseOf<C>>((resolve, reject) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as WireMessage;
        if (frame.type !== 'result' || frame.id !== 1) return;
        if (frame.result.ok) resolve(frame.result.value as ResponseOf<C>);
        else reject(new Error(`${frame.result.error.code}: ${frame.result.error.message}`));
      });
      socket.send(JSON.stringify({ type: 'call', id: 1, channel, payload: request }));
    });
  } finally {
    socket.close();
  }
}

/** One contact as the Sandbox org holds it. */
export interface StoredContact {
  id: string;
  data: Record<string, string>;
}

/** The contacts the built-in Sandbox org holds in a list, read from its inspection API. */
export async function sandboxContacts(host: HostProcess, listId: string): Promise<StoredContact[]> {
  const orgs = await callHost(host, 'orgs:list', {});
  const sandbox = orgs.find((org) => org.id === 'sandbox');
  if (!sandbox) throw new Error('The host has no Sandbox org.');
  const response = await fetch(new URL(`/__sandbox/contacts/${listId}`, sandbox.apiUrl));
  if (!response.ok) throw new Error(`Sandbox inspection answered ${response.status}`);
  return (await response.json()) as StoredContact[];
}

/** The id of the "Webinar follow-up" list in one of the host's orgs (the Sandbox by default). */
export async function webinarListId(host: HostProcess, orgId = 'sandbox'): Promise<string> {
  const lists = await callHost(host, 'lists:search', {
    orgId,
    name: 'Webinar',
    pageNumber: 1,
    pageSize: 25,
    sortOrder: 'ascending',
  });
  const list = lists.entities[0];
  if (!list) throw new Error(`Org ${orgId} has no "Webinar follow-up" list.`);
  return list.id;
}

/**
 * Starts a contacts run of `csvPath` into the Sandbox org's "Webinar follow-up" list over the
 * host's socket, with the auto-matched mapping and the Email column as the contact id: what the
 * Upload screen would start, for specs whose subject is what happens after the start.
 */
export async function startWebinarRun(
  host: HostProcess,
  csvPath: string,
  batchSize: number,
): Promise<{ runId: string; listId: string }> {
  const listId = await webinarListId(host);
  const inspection = await callHost(host, 'csv:inspect', { path: csvPath });
  const matched = await callHost(host, 'csv:autoMatch', {
    headers: inspection.headers,
    source: { kind: 'list', orgId: 'sandbox', listId },
  });
  const { runId } = await callHost(host, 'runs:start', {
    orgId: 'sandbox',
    listId,
    csvPath,
    mapping: { ...matched.mapping, contactId: { kind: 'column', column: 'Email' } },
    strategy: 'contacts',
    headroomPercent: 10,
    batchSize,
  });
  return { runId, listId };
}

/** Per stored contact of a list in the Sandbox org: how many writes committed it. */
export async function sandboxWrites(
  host: HostProcess,
  listId: string,
): Promise<Array<{ id: string; writes: number }>> {
  const orgs = await callHost(host, 'orgs:list', {});
  const sandbox = orgs.find((org) => org.id === 'sandbox');
  if (!sandbox) throw new Error('The host has no Sandbox org.');
  const response = await fetch(new URL(`/__sandbox/contacts/${listId}/writes`, sandbox.apiUrl));
  if (!response.ok) throw new Error(`Sandbox inspection answered ${response.status}`);
  return (await response.json()) as Array<{ id: string; writes: number }>;
}
