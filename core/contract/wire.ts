import type { CallResult } from './errors';

/**
 * The minimal bridge each shell gives the renderer: Electron's preload exposes it as
 * `window.sluice`; the web host's WebSocket client implements the same shape. The renderer
 * wraps it once (typed calls, thrown ContractErrors) and never knows which shell it runs in.
 */
export interface SluiceBridge {
  call(channel: string, payload: unknown): Promise<CallResult<unknown>>;
  /** Subscribes to every push event; returns the function that unsubscribes. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /**
   * Desktop app only: the path of a file the user dropped on the window (a `File` from the drop
   * event), now usable in contract calls like a file picked with Browse…; null when the File does
   * not come from disk. The web host has none: there the consultant types or pastes the path.
   */
  pathForDroppedFile?(file: File): Promise<string | null>;
}

/** Renderer → host WebSocket frame. */
export interface WireCall {
  type: 'call';
  id: number;
  channel: string;
  payload: unknown;
}

/** Host → renderer WebSocket frames. */
export type WireMessage =
  | { type: 'result'; id: number; result: CallResult<unknown> }
  | { type: 'event'; event: string; payload: unknown };

/** Query parameter that carries the per-launch host token on the WebSocket URL. */
export const HOST_TOKEN_PARAM = 'token';

/** Path of the host's WebSocket endpoint. */
export const HOST_SOCKET_PATH = '/api/socket';
