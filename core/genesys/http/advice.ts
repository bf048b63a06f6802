import type { FailureDetail } from '../../contract/runs';

/**
 * Which Genesys call an answer belongs to: the advice for a 403 or a 404 depends on it (the
 * permission it needs, what was not found). One list of calls for both strategies, the list
 * read and the limits read.
 */
export type GenesysCall = 'contacts' | 'list' | 'upload-url' | 'status' | 'put' | 'limits';

/** The permission each call needs (docs/GENESYS.md#permissions). */
const PERMISSION: Record<GenesysCall, string> = {
  contacts: 'outbound:contact:add and outbound:contactList:view',
  list: 'outbound:contactList:view',
  'upload-url': 'outbound:contactList:upload and outbound:contactList:edit',
  status: 'outbound:contactList:view',
  put: 'none (a presigned URL)',
  limits: 'none',
};

/**
 * The consultant's advice for a 403 or 404 of `call` on list `contactListId`; `detail.reason`
 * (the server's message) is kept inside the sentence. Other statuses come back unchanged.
 */
export function accessAdvice(
  call: GenesysCall,
  detail: FailureDetail,
  contactListId: string | undefined,
): FailureDetail {
  const server = detail.reason;
  if (detail.status === 404) {
    const what = contactListId ? `Contact list ${contactListId}` : 'The resource';
    return {
      ...detail,
      reason: `${what} was not found (404: ${server}). Check the list id and that it belongs to this org.`,
    };
  }
  if (detail.status === 403 && call === 'put') {
    return {
      ...detail,
      reason: `The upload URL refused the file (403: ${server}); it may have expired. Run the import again for a new URL.`,
    };
  }
  if (detail.status === 403) {
    return {
      ...detail,
      reason: `Genesys refused access (403: ${server}). The OAuth client needs the permission ${PERMISSION[call]}, and access to the list's division.`,
    };
  }
  return detail;
}

/** The advice when a freshly issued token draws a second 401 (refreshing again cannot help). */
export function refreshedTokenAdvice(detail: FailureDetail): FailureDetail {
  return {
    ...detail,
    reason: `Genesys refused a freshly issued token (401: ${detail.reason}). Check the OAuth client's roles and that it is active.`,
  };
}

/** The advice when a list or the org is full: more requests cannot help until space is made. */
export function capacityAdvice(detail: FailureDetail): FailureDetail {
  return {
    ...detail,
    reason: `Genesys has no room for more contacts (${detail.reason}). A list holds at most 1,000,000 contacts and an org 5,000,000: remove contacts or use another list, then retry the failed rows.`,
  };
}

/** Token-source failure kinds that retrying cannot fix (a refused secret, a denied consent). */
const FATAL_AUTH_KINDS = new Set(['bad-credentials', 'denied', 'state-mismatch', 'cancelled']);

/** True when a token source's error means "stop": retrying will get the same refusal. */
export function isFatalTokenError(error: unknown): boolean {
  const kind = (error as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' && FATAL_AUTH_KINDS.has(kind);
}

/** The message of an unknown error, with its cause when fetch wraps one (`fetch failed: ECONNREFUSED`). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
