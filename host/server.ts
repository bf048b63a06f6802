import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  HOST_SOCKET_PATH,
  HOST_TOKEN_PARAM,
  type Services,
  type WireCall,
  type WireMessage,
} from '../core/contract';
import { dispatch, type EventBus } from '../core/services';
import { serveStatic } from './static-files';

/** What the web host needs: the services, their event bus and the built renderer folder. */
export interface HostOptions {
  services: Services;
  events: EventBus;
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token for tests; by default a random 256-bit token per launch. */
  token?: string;
}

/** A running host. `appUrl` carries the token in its fragment, ready to open in a browser. */
export interface RunningHost {
  port: number;
  origin: string;
  token: string;
  appUrl: string;
  close(): Promise<void>;
}

/**
 * Whether a request's `Host` header names this host (127.0.0.1 or localhost on its port). Any
 * other name means a DNS-rebinding page reached the loopback port through its own domain: such
 * requests are refused before anything is served.
 */
export function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

/** Why an upgrade was refused; the socket closes with HTTP 401/403 and this text. */
export function checkUpgrade(
  url: string | undefined,
  origin: string | undefined,
  expectedOrigin: string,
  expectedToken: string,
): { ok: true } | { ok: false; status: 401 | 403 | 404; message: string } {
  const parsed = new URL(url ?? '/', expectedOrigin);
  if (parsed.pathname !== HOST_SOCKET_PATH) {
    return { ok: false, status: 404, message: `No socket at ${parsed.pathname}` };
  }
  if (origin !== expectedOrigin) {
    return {
      ok: false,
      status: 403,
      message: `Refused: origin ${origin ?? '(none)'} is not the Sluice host page (${expectedOrigin}).`,
    };
  }
  const token = parsed.searchParams.get(HOST_TOKEN_PARAM) ?? '';
  const given = Buffer.from(token);
  const expected = Buffer.from(expectedToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      status: 401,
      message: token
        ? 'Refused: wrong access token. Open the address the host printed at start-up.'
        : 'Refused: missing access token. Open the address the host printed at start-up.',
    };
  }
  return { ok: true };
}

/**
 * Serves the renderer and the contract on 127.0.0.1 only. The WebSocket accepts a connection
 * only from the host's own page origin and with the per-launch token, so another local process or
 * a web page in the user's browser cannot drive the services.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = 0;
  const server = http.createServer((request, response) => {
    if (!isOwnHost(request.headers.host, port)) {
      response
        .writeHead(421, { 'Content-Type': 'text/plain' })
        .end(`Refused: this is the Sluice host on 127.0.0.1:${port}, not ${request.headers.host}.`);
      return;
    }
    serveStatic(options.staticDir, request, response).catch((error: unknown) => {
      response.writeHead(500).end(error instanceof Error ? error.message : 'Internal error');
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  server.on('upgrade', (request, socket, head) => {
    const verdict = isOwnHost(request.headers.host, port)
      ? checkUpgrade(request.url, request.headers.origin, origin, token)
      : ({ ok: false, status: 403, message: 'Refused: wrong Host header.' } as const);
    if (!verdict.ok) {
      const reason = http.STATUS_CODES[verdict.status];
      socket.end(
        `HTTP/1.1 ${verdict.status} ${reason}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${verdict.message}`,
      );
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => serveClient(client, options));
  });

  return {
    port,
    origin,
    token,
    appUrl: `${origin}/#${HOST_TOKEN_PARAM}=${token}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One renderer connection: answers calls through the dispatcher and forwards every event. */
function serveClient(client: WebSocket, options: HostOptions): void {
  const send = (message: WireMessage) => {
    if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
  };
  const unsubscribe = options.events.subscribe((event, payload) =>
    send({ type: 'event', event, payload }),
  );
  client.on('close', unsubscribe);
  client.on('message', async (data) => {
    let call: WireCall;
    try {
      call = JSON.parse(String(data)) as WireCall;
    } catch {
      return client.close(1003, 'Frames must be JSON');
    }
    if (call?.type !== 'call' || typeof call.id !== 'number') {
      return client.close(1003, 'Unexpected frame');
    }
    send({
      type: 'result',
      id: call.id,
      result: await dispatch(options.services, call.channel, call.payload),
    });
  });
}
