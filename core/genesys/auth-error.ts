/** Why signing in to an org failed, so the UI and the CLI can say what to fix. */
export type AuthErrorKind =
  | 'bad-credentials'
  | 'unreachable'
  | 'timeout'
  | 'rate-limited'
  | 'server'
  | 'unexpected-response'
  | 'cancelled'
  | 'state-mismatch'
  | 'denied';

/**
 * A sign-in failure with a message a consultant can act on. `detail` carries the technical part
 * (status, error code, correlation id) for the log. Neither ever contains a secret or a token.
 */
export class GenesysAuthError extends Error {
  readonly kind: AuthErrorKind;
  readonly status: number | undefined;
  readonly detail: string | undefined;

  constructor(
    kind: AuthErrorKind,
    message: string,
    options: { status?: number; detail?: string } = {},
  ) {
    super(message);
    this.name = 'GenesysAuthError';
    this.kind = kind;
    this.status = options.status;
    this.detail = options.detail;
  }
}

/**
 * Maps a network failure from `fetch` (undici wraps the system error in `cause`) to an
 * actionable error: DNS failure, refused connection, timeout.
 */
export function networkAuthError(error: unknown, orgLabel: string, host: string): GenesysAuthError {
  const code = networkErrorCode(error);
  if (code === 'TimeoutError' || code === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new GenesysAuthError(
      'timeout',
      `${host} did not answer in time while signing in to ${orgLabel}. Check the network, VPN or proxy, and try again.`,
      { detail: code },
    );
  }
  const hint =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'The host name does not resolve: check the region (or the base URL) and the network.'
      : code === 'ECONNREFUSED'
        ? refusedHint(host)
        : 'Check the region (or the base URL), the network, VPN or proxy.';
  return new GenesysAuthError(
    'unreachable',
    `Cannot reach ${host} to sign in to ${orgLabel}. ${hint}`,
    {
      detail: code ?? (error instanceof Error ? error.message : String(error)),
    },
  );
}

/**
 * What to do about a refused connection. On this machine it is most often a Sandbox's address
 * kept from an earlier launch: the app's built-in Sandbox gets a new port at every launch.
 */
function refusedHint(host: string): string {
  const hostname = host
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  const local =
    hostname === 'localhost' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
  if (!local) return 'Nothing is listening there: check the base URL and port.';
  return (
    'Nothing is listening at that address on this machine. If it is the built-in Sandbox org’s ' +
    'address from an earlier launch, that address changes at every launch: use the Sandbox org, ' +
    'or edit this org and enter the address the Sandbox org shows now (Sluice then follows it ' +
    'from launch to launch); "sluice sandbox --port 4100" runs a Sandbox at a fixed address.'
  );
}

function networkErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return error.name;
  const cause = (error as { cause?: unknown }).cause;
  if (cause && typeof cause === 'object') {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const nested = (cause as { cause?: { code?: unknown } }).cause?.code;
    if (typeof nested === 'string') return nested;
  }
  const own = (error as { code?: unknown }).code;
  return typeof own === 'string' ? own : undefined;
}
