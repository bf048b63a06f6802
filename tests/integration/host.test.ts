import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessage } from '../../core/contract';
import { createServices, EventBus } from '../../core/services';
import { startHost, type RunningHost } from '../../host/server';

let host: RunningHost;
let staticDir: string;
const events = new EventBus();

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(os.tmpdir(), 'sluice-host-'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Sluice</title>');
  const services = createServices({
    version: '1.2.3',
    dataFolder: staticDir,
    shell: 'web-host',
    events,
  });
  host = await startHost({ services, events, staticDir });
});
afterAll(async () => {
  await host.close();
  rmSync(staticDir, { recursive: true, force: true });
});

/** Opens a socket and resolves with the HTTP status of a refusal, or the open socket. */
function connect(
  url: string,
  origin?: string,
): Promise<{ status: number; body: string } | WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.on('open', () => resolve(socket));
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.on('error', reject);
  });
}

function socketUrl(token?: string): string {
  const url = new URL('/api/socket', host.origin.replace('http', 'ws'));
  if (token !== undefined) url.searchParams.set('token', token);
  return url.toString();
}

describe('web host', () => {
  it('serves the renderer on 127.0.0.1 and never outside its folder', async () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(host.origin);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Sluice</title>');
    const escape = await fetch(`${host.origin}/..%2F..%2Fetc%2Fpasswd`);
    expect([403, 404]).toContain(escape.status);
  });

  it('refuses a socket without a token, with a clear message', async () => {
    const refused = await connect(socketUrl(), host.origin);
    expect(refused).toEqual({ status: 401, body: expect.stringMatching(/missing access token/) });
  });

  it('refuses a socket with a wrong token', async () => {
    const refused = await connect(socketUrl('not-the-token'), host.origin);
    expect(refused).toMatchObject({
      status: 401,
      body: expect.stringMatching(/wrong access token/),
    });
  });

  it('refuses a socket from another origin even with the token', async () => {
    const refused = await connect(socketUrl(host.token), 'http://attacker.example');
    expect(refused).toMatchObject({ status: 403 });
  });

  it('answers contract calls and forwards events over an authorised socket', async () => {
    const socket = (await connect(socketUrl(host.token), host.origin)) as WebSocket;
    const messages: WireMessage[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as WireMessage));
    socket.send(JSON.stringify({ type: 'call', id: 7, channel: 'app:info', payload: {} }));
    socket.send(JSON.stringify({ type: 'call', id: 8, channel: 'app:info', payload: { x: 1 } }));
    await expect.poll(() => messages.length).toBe(2);
    events.emit('app:notice', { level: 'info', message: 'hello' });
    await expect.poll(() => messages.length).toBe(3);
    socket.close();

    const byId = (id: number) => messages.find((m) => m.type === 'result' && m.id === id);
    expect(byId(7)).toMatchObject({
      type: 'result',
      id: 7,
      result: { ok: true, value: { version: '1.2.3' } },
    });
    expect(byId(8)).toMatchObject({
      type: 'result',
      id: 8,
      result: { ok: false, error: { code: 'invalid-request' } },
    });
    expect(messages[2]).toEqual({
      type: 'event',
      event: 'app:notice',
      payload: { level: 'info', message: 'hello' },
    });
  });
});
