import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  channels,
  ContractErrorCode,
  HOST_SOCKET_PATH,
  HOST_TOKEN_PARAM,
  type CallResult,
  type WireMessage,
} from '../../core/contract';
import { createRandom } from '../../core/sandbox/rng';
import { createServices, dispatch, EventBus } from '../../core/services';
import { startHost, type RunningHost } from '../../host/server';

/**
 * Drives every channel of the contract through both shells' dispatch paths (the dispatcher the
 * desktop app's single IPC channel uses, and the web host's WebSocket with its token) with
 * malformed and hostile payloads from a seeded generator. Every answer must be a well-formed
 * result whose error, if any, has a contract code other than `internal` (a crash); nothing may be
 * written outside the granted folders, Object.prototype must stay clean, and the app must still
 * serve a good call afterwards.
 */

const SEED = 0x5eed_1234;

let dataFolder: string;
let outside: string;
let goodCsv: string;

beforeAll(() => {
  dataFolder = mkdtempSync(path.join(os.tmpdir(), 'sluice-fuzz-data-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'sluice-fuzz-outside-'));
  writeFileSync(path.join(outside, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
  goodCsv = path.join(dataFolder, 'good.csv');
  writeFileSync(goodCsv, 'Email\na@example.com\n');
  writeFileSync(
    path.join(dataFolder, 'list.json'),
    JSON.stringify({ name: 'L', columnNames: ['Email'], phoneColumns: [] }),
  );
});
afterAll(() => {
  rmSync(dataFolder, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const runId = '20260101-000000-abcd';
const mapping = {
  columns: { Email: { source: { kind: 'csv', header: 'Email' } } },
  contactId: { kind: 'column', column: 'Email' },
};
const schemaSource = () => ({ kind: 'file', path: path.join(dataFolder, 'list.json') });

/** A plausible payload per channel, the starting point of the mutations. */
function bases(): Record<string, Record<string, unknown>> {
  const out = path.join(outside, 'x.csv');
  return {
    'app:info': {},
    'app:sampleCsv': {},
    'app:pickFile': { purpose: 'open-csv', defaultPath: path.join(outside, 'id_rsa') },
    'orgs:list': {},
    'orgs:add': {
      name: 'Fuzz',
      region: 'custom',
      apiUrl: 'http://127.0.0.1:9',
      authMethod: 'client-credentials',
      clientId: 'c',
    },
    'orgs:update': { id: 'fuzz', apiUrl: 'http://127.0.0.1:9' },
    'orgs:remove': { id: 'fuzz' },
    'orgs:test': { id: 'fuzz' },
    'orgs:signIn': { id: 'fuzz' },
    'orgs:cancelSignIn': { id: 'fuzz' },
    'orgs:signOut': { id: 'fuzz' },
    'orgs:regions': {},
    'orgs:secretStorage': {},
    'lists:search': { orgId: 'fuzz' },
    'lists:get': { orgId: 'fuzz', listId: 'l' },
    'lists:saveSchema': { orgId: 'fuzz', listId: 'l', filePath: path.join(outside, 's.json') },
    'lists:create': {
      orgId: 'fuzz',
      name: 'L',
      columnNames: ['Phone'],
      phoneColumns: [{ columnName: 'Phone', type: 'cell' }],
    },
    'csv:inspect': { path: path.join(outside, 'id_rsa') },
    'csv:schema': { source: { kind: 'file', path: path.join(outside, 'id_rsa') } },
    'csv:autoMatch': { headers: ['Email'], source: schemaSource() },
    'csv:preview': { path: path.join(outside, 'id_rsa'), source: schemaSource(), mapping },
    'csv:prepare': {
      jobId: 'j',
      path: goodCsv,
      source: schemaSource(),
      mapping,
      outPath: out,
      rejectsPath: path.join(outside, 'r.csv'),
      overwrite: true,
    },
    'csv:cancel': { jobId: 'j' },
    'mappings:list': {},
    'mappings:save': { name: 'm', mapping, source: schemaSource() },
    'mappings:load': { name: 'm', source: schemaSource() },
    'mappings:rename': { from: 'm', to: 'n' },
    'mappings:delete': { name: 'zz' },
    'mappings:export': { name: 'm', path: path.join(outside, 'm.json'), overwrite: true },
    'mappings:import': { path: path.join(outside, 'id_rsa'), source: schemaSource() },
    'runs:start': { orgId: 'fuzz', listId: 'l', csvPath: path.join(outside, 'id_rsa'), mapping },
    'runs:pause': { runId },
    'runs:resume': { runId },
    'runs:cancel': { runId },
    'runs:retryFailed': { runId },
    'runs:list': {},
    'runs:get': { runId },
    'runs:rows': { runId, outcome: 'failed' },
    'runs:exportRows': { runId, outcome: 'failed', path: out, overwrite: true },
    'runs:exportReconciliation': { runId, path: out, overwrite: true },
    'runs:skipRows': { runId, rows: [1] },
    'runs:unskipRows': { runId, rows: [1] },
    'runs:remove': { runId },
    'runs:restoreRemoved': { runId },
    'runs:fixRows': { runId, rows: [{ row: 1, data: { Email: 'x' } }] },
    'runs:live': {},
    'csv:savedSchemas': {},
    'csv:resolvePath': { path: '~/.ssh/id_rsa' },
    'runs:trace': { runId },
    'runs:facts': { runIds: [runId] },
    'csv:check': {
      jobId: 'j',
      path: path.join(outside, 'id_rsa'),
      source: schemaSource(),
      mapping,
    },
    'csv:cancelCheck': { jobId: 'j' },
  };
}

/** Values no field should accept blindly. */
function hostileValues(): unknown[] {
  return [
    null,
    -1,
    1e308,
    Number.NaN,
    true,
    [],
    {},
    'x'.repeat(1_000_000),
    '../../../../../../etc/passwd',
    '~/.ssh/id_rsa',
    path.join(outside, 'id_rsa'),
    path.join(dataFolder, '..', path.basename(outside), 'id_rsa'),
    '..\\..\\..\\Windows\\win.ini',
    'a\u0000b',
    '../runs/../../x',
    JSON.parse('{"__proto__":{"polluted":"yes"}}'),
    { constructor: { prototype: { polluted: 'yes' } } },
  ];
}

/** Hostile payloads for one channel: whole-payload junk, each field replaced, random mixes. */
function payloadsFor(base: Record<string, unknown>, random: () => number): unknown[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const values = hostileValues();
  const payloads: unknown[] = [
    'not an object',
    42,
    [base],
    JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}'),
    { ...base, extra: 'field' },
  ];
  for (const key of Object.keys(base)) {
    for (const value of values) payloads.push({ ...base, [key]: value });
  }
  for (let round = 0; round < 12; round += 1) {
    const mixed: Record<string, unknown> = { ...base };
    for (const key of Object.keys(base)) if (random() < 0.5) mixed[key] = pick(values);
    if (random() < 0.3) Object.assign(mixed, JSON.parse('{"__proto__":{"polluted":"yes"}}'));
    payloads.push(mixed);
  }
  return payloads;
}

type Caller = (channel: unknown, payload: unknown) => Promise<CallResult<unknown>>;

async function fuzz(call: Caller): Promise<void> {
  const random = createRandom(SEED); // a failure replays exactly with the same SEED;
  const table = bases();
  // Every channel of the contract is fuzzed: a new channel must be added to the table.
  expect(Object.keys(table).sort()).toEqual(Object.keys(channels).sort());
  for (const [channel, base] of Object.entries(table)) {
    for (const payload of payloadsFor(base, random)) {
      const result = await call(channel, payload);
      const label = `${channel} ${JSON.stringify(payload)?.slice(0, 200)}`;
      expect(typeof result.ok, label).toBe('boolean');
      if (!result.ok) {
        expect(ContractErrorCode.options, label).toContain(result.error.code);
        expect(result.error.code, `${label}: ${result.error.message}`).not.toBe('internal');
        expect(typeof result.error.message).toBe('string');
        // Messages are for a consultant: they do not echo a megabyte of hostile input back.
        expect.soft(result.error.message.length, label).toBeLessThan(20_000);
      }
    }
    // Still serving after each channel's barrage.
    expect(await call('app:info', {}), channel).toMatchObject({ ok: true });
  }
  for (const junk of [undefined, null, 7, '__proto__', 'constructor', 'toString', 'runs:nope']) {
    expect(await call(junk, {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  }
  expect(await call('csv:inspect', { path: goodCsv })).toMatchObject({
    ok: true,
    value: { headers: ['Email'] },
  });
  expect(readdirSync(outside)).toEqual(['id_rsa']);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('contract fuzz', () => {
  it('desktop dispatch path: every channel answers hostile payloads with typed errors', async () => {
    const services = createServices({
      version: 't',
      dataFolder,
      shell: 'electron',
      pickFile: async () => null,
    });
    // Electron's IPC delivers a structured clone of what the renderer sent.
    await fuzz((channel, payload) => dispatch(services, channel, structuredClone(payload)));
  }, 120_000);

  describe('web host over its WebSocket', () => {
    let host: RunningHost;
    let socket: WebSocket;
    const pending = new Map<number, (result: CallResult<unknown>) => void>();
    let nextId = 1;

    const open = async () => {
      const url = `ws://127.0.0.1:${host.port}${HOST_SOCKET_PATH}?${HOST_TOKEN_PARAM}=${host.token}`;
      const client = new WebSocket(url, { origin: host.origin });
      client.on('message', (data) => {
        const message = JSON.parse(String(data)) as WireMessage;
        if (message.type === 'result') pending.get(message.id)?.(message.result);
      });
      await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
      return client;
    };

    beforeAll(async () => {
      const events = new EventBus();
      const services = createServices({ version: 't', dataFolder, shell: 'web-host', events });
      host = await startHost({ services, events, staticDir: dataFolder });
      socket = await open();
    });
    afterAll(async () => {
      socket?.terminate();
      await host?.close();
    });

    const call: Caller = (channel, payload) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, (result) => {
          pending.delete(id);
          resolve(result);
        });
        socket.send(JSON.stringify({ type: 'call', id, channel, payload }));
      });

    it('every channel answers hostile payloads with typed errors', async () => {
      await fuzz(call);
    }, 120_000);

    it('malformed frames close only that socket; a new one is served', async () => {
      for (const frame of ['not json', '{"type":"call"}', '[]', 'null']) {
        const victim = await open();
        const closed = new Promise<number>((resolve) => victim.once('close', resolve));
        victim.send(frame);
        expect(await closed).toBe(1003);
      }
      expect(await call('app:info', {})).toMatchObject({ ok: true });
    });

    it('refuses pages and sockets addressed to another Host (DNS rebinding)', async () => {
      // fetch may not override Host (a forbidden header), so a raw request plays the rebound page.
      const status = await new Promise<number>((resolve, reject) => {
        http
          .request(
            {
              host: '127.0.0.1',
              port: host.port,
              path: '/',
              headers: { Host: `evil.example:${host.port}` },
            },
            (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            },
          )
          .on('error', reject)
          .end();
      });
      expect(status).toBe(421);
      const own = await fetch(`http://127.0.0.1:${host.port}/`);
      expect(own.status).not.toBe(421);
      const rebound = new WebSocket(
        `ws://127.0.0.1:${host.port}${HOST_SOCKET_PATH}?${HOST_TOKEN_PARAM}=${host.token}`,
        { origin: host.origin, headers: { Host: `evil.example:${host.port}` } },
      );
      rebound.on('error', () => undefined); // the refusal also surfaces as an error event
      const refusal = await new Promise<number>((resolve) => {
        rebound.on('unexpected-response', (_request, response) =>
          resolve(response.statusCode ?? 0),
        );
        rebound.on('open', () => resolve(101));
      });
      rebound.terminate();
      expect(refusal).toBe(403);
    });
  });
});
