import { GenesysAuthError } from './auth-error';
import { GenesysApiError } from './sdk-client';

/** What kind of problem an API failure is, for the contract error code. */
export type ApiFailureKind = 'unauthorized' | 'forbidden' | 'not-found' | 'unavailable' | 'invalid';

/** An API failure explained for a consultant, plus the technical detail for the log. */
export interface ApiFailure {
  kind: ApiFailureKind;
  message: string;
  detail: string | undefined;
}

/**
 * Explains why `action` (e.g. "list contact lists") failed against `orgLabel`: refused token,
 * missing permission (naming it), unknown list, wrong base URL, unreachable host, throttling,
 * server trouble. `permission` names what the call needs (docs/GENESYS.md#permissions).
 */
export function describeApiFailure(
  error: unknown,
  orgLabel: string,
  action: string,
  permission?: string,
): ApiFailure {
  if (error instanceof GenesysAuthError) {
    const kind = error.kind === 'bad-credentials' ? 'unauthorized' : 'unavailable';
    return { kind, message: error.message, detail: error.detail };
  }
  if (!(error instanceof GenesysApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: 'unavailable',
      message: `Could not ${action} in ${orgLabel}: ${message}`,
      detail: undefined,
    };
  }
  const detail = [
    `HTTP ${error.status}`,
    `code=${error.code}`,
    error.correlationId && `correlationId=${error.correlationId}`,
    error.message,
  ]
    .filter(Boolean)
    .join(', ');
  const failure = (kind: ApiFailureKind, message: string): ApiFailure => ({
    kind,
    message,
    detail,
  });
  if (error.kind === 'network' || error.kind === 'timeout') {
    return failure(
      'unavailable',
      `Cannot reach ${orgLabel} to ${action} (${error.code}). Check the network, VPN or proxy, and the region or base URL.`,
    );
  }
  switch (error.status) {
    case 401:
      return failure(
        'unauthorized',
        `${orgLabel} refused the sign-in token while trying to ${action}. Sign out and sign in again; if it persists, check the OAuth client.`,
      );
    case 403:
      return failure(
        'forbidden',
        `The OAuth client of ${orgLabel} is not allowed to ${action}${permission ? `: give its role the permission ${permission}` : ''} (Admin > Roles), then try again.`,
      );
    case 404:
      return failure(
        'not-found',
        `${orgLabel} does not know what was asked while trying to ${action} (HTTP 404): it may have been deleted, or the base URL is not a Genesys Cloud API.`,
      );
    case 429:
      return failure(
        'unavailable',
        `${orgLabel} is rate limiting requests${error.retryAfterSeconds ? ` (retry in ${error.retryAfterSeconds} s)` : ''}. Try to ${action} again in a moment.`,
      );
    default:
      if (error.status >= 500)
        return failure(
          'unavailable',
          `${orgLabel} failed to ${action} (HTTP ${error.status}). Try again in a few minutes.`,
        );
      return failure('invalid', `${orgLabel} refused to ${action}: ${error.message}`);
  }
}
