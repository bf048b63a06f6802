import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GenesysAuthError, networkAuthError } from './auth-error';
import { resolveEndpoint, type RegionKey } from './regions';
import { readTokenResponse, type IssuedToken } from './token-response';

/** How to run one interactive sign-in with authorization code + PKCE (docs/GENESYS.md#oauth-pkce). */
export interface PkceSignInOptions {
  region?: RegionKey;
  /** A custom base URL (sandbox, proxy): `/oauth/authorize` and `/oauth/token` live there. */
  apiUrl?: string;
  clientId: string;
  orgLabel?: string;
  /**
   * Opens the authorize URL in the system browser (Electron `shell.openExternal`, the CLI's
   * opener, or a test's HTTP client). A rejection aborts the sign-in.
   */
  openBrowser: (authorizeUrl: string) => Promise<void> | void;
  /** Loopback port for the redirect; 0 or undefined picks a free one. */
  redirectPort?: number;
  /** How long to wait for the browser to come back, in ms (default 5 minutes). */
  timeoutMs?: number;
  /** Aborting cancels the sign-in (the listener closes, the promise rejects `cancelled`). */
  signal?: AbortSignal;
  /** Optional `/oauth/authorize` extras: `org`, `provider`, `target`, `login_hint`, `prompt`. */
  authorizeParams?: Partial<
    Record<'org' | 'provider' | 'target' | 'login_hint' | 'prompt', string>
  >;
  fetchImpl?: typeof fetch;
  nowMs?: () => number;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** A random PKCE code verifier: 32 random bytes, base64url (43 characters, RFC 7636). */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** The S256 code challenge of `verifier`: base64url(SHA-256(verifier)). */
export function codeChallengeFor(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * Signs a person in: listens on `http://127.0.0.1:{port}/callback`, opens the authorize URL
 * (S256 challenge, random `state`), waits for the redirect, checks `state`, and exchanges the
 * code at `/oauth/token` (`grant_type=authorization_code`, `code_verifier`, `client_id`). The
 * listener always closes. Rejects with a `GenesysAuthError`: `state-mismatch`, `denied`,
 * `timeout`, `cancelled`, `bad-credentials` (code refused), or a network kind. The token is
 * returned in memory only.
 */
export async function signInWithPkce(options: PkceSignInOptions): Promise<IssuedToken> {
  const endpoint = resolveEndpoint(
    options.region !== undefined ? { region: options.region } : { apiUrl: options.apiUrl ?? '' },
  );
  const loginHost = new URL(endpoint.loginUrl).host;
  const orgLabel = options.orgLabel ?? loginHost;
  if (options.signal?.aborted) throw cancelledError(orgLabel);
  const verifier = createCodeVerifier();
  const state = randomBytes(16).toString('base64url');
  const listener = await startLoopbackListener(options.redirectPort ?? 0);
  let stopWaiting = (): void => undefined;
  try {
    const redirectUri = `http://127.0.0.1:${listener.port}/callback`;
    const authorizeUrl = new URL(`${endpoint.loginUrl}/oauth/authorize`);
    authorizeUrl.search = new URLSearchParams({
      client_id: options.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      code_challenge: codeChallengeFor(verifier),
      code_challenge_method: 'S256',
      state,
      ...options.authorizeParams,
    }).toString();

    const callback = waitForCallback(listener, options, orgLabel, state);
    stopWaiting = callback.stop;
    // The browser's redirect reaches the listener while (or after) the opener runs, so wait for
    // either: the callback, or the opener failing.
    const openerFailure = Promise.resolve()
      .then(() => options.openBrowser(authorizeUrl.toString()))
      .then(
        () => new Promise<never>(() => undefined),
        (error: unknown) => {
          throw new GenesysAuthError(
            'cancelled',
            `Could not open the browser to sign in to ${orgLabel}: ${error instanceof Error ? error.message : String(error)}.`,
          );
        },
      );
    const { query, respond } = await Promise.race([callback.promise, openerFailure]);
    try {
      const oauthError = query.get('error');
      const code = query.get('code');
      if (oauthError || !code) {
        throw new GenesysAuthError(
          'denied',
          `Sign-in to ${orgLabel} was not completed${oauthError ? ` (${oauthError})` : ''}. Check that the OAuth client ${options.clientId} is a PKCE (Code Authorization) client with redirect URI ${redirectUri}, and that you allowed access.`,
          { detail: query.get('error_description') ?? undefined },
        );
      }
      const token = await exchangeCode(endpoint.loginUrl, loginHost, orgLabel, {
        code,
        redirectUri,
        verifier,
        options,
      });
      respond(200, `Signed in to ${orgLabel}. You can close this window and return to Sluice.`);
      return token;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      respond(400, message);
      throw error;
    }
  } finally {
    stopWaiting();
    await listener.close();
  }
}

async function exchangeCode(
  loginUrl: string,
  host: string,
  orgLabel: string,
  input: { code: string; redirectUri: string; verifier: string; options: PkceSignInOptions },
): Promise<IssuedToken> {
  const fetchImpl = input.options.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(`${loginUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: input.code,
        redirect_uri: input.redirectUri,
        code_verifier: input.verifier,
        client_id: input.options.clientId,
      }).toString(),
      signal: AbortSignal.timeout(16_000),
    });
  } catch (error) {
    throw networkAuthError(error, orgLabel, host);
  }
  return readTokenResponse(response, {
    orgLabel,
    host,
    nowMs: (input.options.nowMs ?? Date.now)(),
    refusedMessage: `${orgLabel} refused the sign-in code (${host}). Check that OAuth client ${input.options.clientId} allows PKCE with this redirect URI and that the org's region is right, then sign in again.`,
  });
}

interface LoopbackListener {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

async function startLoopbackListener(port: number): Promise<LoopbackListener> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new GenesysAuthError(
          'unreachable',
          error.code === 'EADDRINUSE'
            ? `Port ${port} is in use, so the sign-in cannot receive its answer. Close what uses it or change the profile's redirect port.`
            : `Cannot listen on 127.0.0.1 for the sign-in answer (${error.message}).`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Callback {
  query: URLSearchParams;
  respond(status: number, message: string): void;
}

/**
 * `promise` resolves on the first `GET /callback` carrying this sign-in's `state` and rejects on
 * timeout or cancel. Other paths get 404; a callback with another state gets 400 and is ignored,
 * so a stray or forged request to the loopback port cannot end the sign-in (the timeout then
 * says a mismatched answer came). `stop` detaches everything once the sign-in is over.
 */
function waitForCallback(
  listener: LoopbackListener,
  options: PkceSignInOptions,
  orgLabel: string,
  state: string,
): { promise: Promise<Callback>; stop: () => void } {
  let mismatched = 0;
  let stop = (): void => undefined;
  const promise = new Promise<Callback>((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      done();
      reject(
        mismatched > 0
          ? new GenesysAuthError(
              'state-mismatch',
              `The sign-in answer for ${orgLabel} did not match this request (state check failed), so it was ignored, and no matching answer came. Start the sign-in again.`,
            )
          : new GenesysAuthError(
              'timeout',
              `Sign-in to ${orgLabel} timed out after ${Math.round(timeoutMs / 1000)} s without an answer from the browser. Start it again and finish it in the browser window that opens.`,
            ),
      );
    }, timeoutMs);
    const onAbort = () => {
      done();
      reject(cancelledError(orgLabel));
    };
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      listener.server.removeListener('request', onRequest);
    };
    const onRequest = (request: http.IncomingMessage, response: http.ServerResponse) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method !== 'GET' || url.pathname !== '/callback') {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      if (url.searchParams.get('state') !== state) {
        mismatched += 1;
        response
          .writeHead(400, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' })
          .end(page('This answer is not for the sign-in Sluice is waiting for; it was ignored.'));
        return;
      }
      done();
      resolve({
        query: url.searchParams,
        respond: (status, message) => {
          response
            .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' })
            .end(page(message));
        },
      });
    };
    listener.server.on('request', onRequest);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    stop = done;
  });
  return { promise, stop: () => stop() };
}

function cancelledError(orgLabel: string): GenesysAuthError {
  return new GenesysAuthError('cancelled', `Sign-in to ${orgLabel} was cancelled.`);
}

function page(message: string): string {
  const escaped = message.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>Sluice</title><body style="font-family:system-ui;margin:3em"><h1>Sluice</h1><p>${escaped}</p></body>`;
}
