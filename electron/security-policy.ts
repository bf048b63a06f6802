import type {
  BrowserWindowConstructorOptions,
  HandlerDetails,
  WindowOpenHandlerResponse,
} from 'electron';
import { REGION_DOMAINS } from '../core/genesys/regions';
import { rendererContentType, rendererFileFor } from '../core/services/renderer-files';

/**
 * The desktop shell's security checklist as pure values and functions (no side effects at
 * import, nothing here touches Electron at run time), so a Node unit test can assert every item:
 * sandboxed renderer with context isolation and no Node, web security on, every permission
 * refused, no navigation or new windows, external links only to Genesys' own hosts, IPC only from
 * our window's main frame, and the renderer served over `app://` with a CSP header.
 * The README's "Security" section states the model.
 */

/** The privileged scheme the renderer is served from (a standard, secure origin, not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'sluice';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RENDERER_URL = `${APP_ORIGIN}/index.html`;

/**
 * The Content-Security-Policy header of every `app://` response. Scripts only from the app
 * itself; inline styles are allowed (React style props); no network at all: in Electron the
 * renderer talks to the main process over IPC only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `webPreferences` and size of the main window. `bounds` are the remembered ones, if any. */
export function mainWindowOptions(options: {
  preloadPath: string;
  channelsArgument: string;
  bounds?: { x?: number; y?: number; width: number; height: number };
}): BrowserWindowConstructorOptions {
  return {
    width: options.bounds?.width ?? 1280,
    height: options.bounds?.height ?? 820,
    ...(options.bounds?.x !== undefined && options.bounds.y !== undefined
      ? { x: options.bounds.x, y: options.bounds.y }
      : {}),
    minWidth: 900,
    minHeight: 600,
    title: 'Sluice',
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      additionalArguments: [options.channelsArgument],
    },
  };
}

/** Permission requests (camera, notifications, clipboard read, …): always refused. */
export function denyPermissionRequest(
  _contents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

/** Synchronous permission checks (`navigator.permissions`, media devices): always false. */
export function denyPermissionCheck(): boolean {
  return false;
}

/** Hosts the app may open in the system browser: Genesys sign-in for every region, and help. */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set([
  ...Object.values(REGION_DOMAINS).map((domain) => `login.${domain}`),
  'help.mypurecloud.com',
  'developer.genesys.cloud',
]);

/**
 * Whether `url` may be handed to `shell.openExternal`: https to an allow-listed host, nothing
 * else (no file:, no custom protocol handlers, no other sites). `allowLoopback` admits
 * `http://127.0.0.1` and `localhost`, for the main process's own sign-in to the Sandbox org; a
 * link clicked in the renderer never gets it.
 */
export function isAllowedExternalUrl(
  url: string,
  options: { allowLoopback?: boolean } = {},
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.protocol === 'https:' && EXTERNAL_HOSTS.has(parsed.hostname)) return true;
  const loopback = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
  return (
    options.allowLoopback === true &&
    loopback &&
    (parsed.protocol === 'http:' || parsed.protocol === 'https:')
  );
}

/**
 * `setWindowOpenHandler`: no window is ever created; an allow-listed link opens in the system
 * browser instead.
 */
export function windowOpenHandler(
  openExternal: (url: string) => void,
): (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse {
  return ({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  };
}

/** `will-navigate`, `will-redirect` and `will-attach-webview`: the window never leaves the app. */
export function preventNavigation(event: { preventDefault(): void }): void {
  event.preventDefault();
}

/** The parts of an IPC event the sender check reads. */
export interface IpcSenderLike {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Whether an IPC call comes from our window's top frame showing the app: the sender is the
 * main window's webContents, the frame has no parent (not an iframe) and its URL is on the app
 * origin. Anything else is refused before the payload is looked at.
 */
export function isTrustedIpcSender(event: IpcSenderLike, mainContents: unknown): boolean {
  if (!mainContents || event.sender !== mainContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    // Compared by parts: Node (unit tests) reports a custom scheme's origin as "null".
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The file under `rendererDir` an `app://sluice/…` request names, or undefined for another
 * scheme or host, an encoded separator, or a path that escapes the folder.
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  return rendererFileFor(rendererDir, url.pathname);
}

/** Headers of an `app://` response: its type, the CSP, and the usual hardening headers. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': rendererContentType(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
