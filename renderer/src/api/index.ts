import type { SluiceApi, SluiceBridge } from '../../../core/contract';
import { createApi } from './client';
import { createWebSocketBridge, takeTokenFromLocation } from './websocket-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the web host serves the page. */
    sluice?: SluiceBridge;
  }
}

/**
 * Picks the transport once at start-up: Electron's preload bridge when present, else the web
 * host's WebSocket. Returns undefined when neither is available (page opened without a token).
 */
export function connect(): SluiceApi | undefined {
  if (window.sluice) return createApi(window.sluice);
  const token = takeTokenFromLocation();
  return token ? createApi(createWebSocketBridge(token)) : undefined;
}
