import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test's HTTP server on 127.0.0.1: its base URL, and a stop that drops open connections. */
export interface LoopbackServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `server` on a free port of 127.0.0.1 (never another interface). `stop` closes keep-alive
 * connections too, so the test's teardown does not wait for idle sockets to time out.
 */
export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
