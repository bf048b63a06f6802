import {
  HOST_SOCKET_PATH,
  HOST_TOKEN_PARAM,
  type CallResult,
  type SluiceBridge,
  type WireCall,
  type WireMessage,
} from '../../../core/contract';

type Pending = (result: CallResult<unknown>) => void;

const lostConnection: CallResult<unknown> = {
  ok: false,
  error: {
    code: 'unavailable',
    message: 'Lost the connection to the Sluice host. Restart it (npm run dev:web) and reload.',
  },
};

/**
 * The web host's transport: one WebSocket to the loopback host, authenticated by the
 * per-launch token the host put in the page URL's fragment (never sent in an HTTP request line).
 */
export function createWebSocketBridge(token: string): SluiceBridge {
  const url = new URL(HOST_SOCKET_PATH, window.location.href);
  url.protocol = 'ws:';
  url.searchParams.set(HOST_TOKEN_PARAM, token);
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('close', () => reject(new Error('closed')), { once: true });
  });
  opened.catch(() => undefined);
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;

  socket.addEventListener('message', (message) => {
    const frame = JSON.parse(String(message.data)) as WireMessage;
    if (frame.type === 'result') {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else {
      for (const listener of listeners) listener(frame.event, frame.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve(lostConnection);
    pending.clear();
  });

  return {
    async call(channel, payload) {
      try {
        await opened;
      } catch {
        return lostConnection;
      }
      const id = nextId++;
      const frame: WireCall = { type: 'call', id, channel, payload };
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify(frame));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Reads the host token from `#token=…` and removes it from the address bar and history. */
export function takeTokenFromLocation(): string | undefined {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get(HOST_TOKEN_PARAM) ?? undefined;
  if (token) {
    sessionStorage.setItem('sluice-host-token', token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return token;
  }
  return sessionStorage.getItem('sluice-host-token') ?? undefined;
}
