import type { ConnectionReport, OrgLimit } from '../contract/orgs';
import { describeApiFailure } from './api-failure';
import type { OrgApi } from './org-api';
import { LIMIT_NAMESPACES, readOrgLimits } from './org-limits';

/** Why a connection test failed before it could learn who the org is. */
export class ConnectionTestError extends Error {
  readonly kind: 'unauthorized' | 'forbidden' | 'not-found' | 'unavailable' | 'invalid';
  readonly detail: string | undefined;

  constructor(kind: ConnectionTestError['kind'], message: string, detail?: string) {
    super(message);
    this.name = 'ConnectionTestError';
    this.kind = kind;
    this.detail = detail;
  }
}

/**
 * Tests an org end to end: signs in, reads `GET /organizations/me` (org name and
 * id), checks `outbound:contactList:view` with a one-item list call, and reads the limits
 * namespaces. Only the sign-in and `/organizations/me` are fatal (they throw a
 * {@link ConnectionTestError} with an actionable message); a missing permission or unreadable
 * limits are reported in the result.
 */
export async function testConnection(
  api: OrgApi,
  context: { orgId: string; apiUrl: string; nowMs?: () => number },
): Promise<ConnectionReport> {
  let me: { id?: string; name?: string };
  try {
    me = (
      await api.call<{ id?: string; name?: string }>((c) => c.organization.getOrganizationsMe())
    ).body;
  } catch (error) {
    const failure = describeApiFailure(error, api.orgLabel, 'read the organization');
    throw new ConnectionTestError(failure.kind, failure.message, failure.detail);
  }

  let canViewContactLists = true;
  let contactListCount: number | undefined;
  let permissionMessage: string | undefined;
  try {
    const page = await api.call<{ total?: number }>((c) =>
      c.outbound.getOutboundContactlists({ pageSize: 1, pageNumber: 1 }),
    );
    contactListCount = page.body.total;
  } catch (error) {
    canViewContactLists = false;
    permissionMessage = describeApiFailure(
      error,
      api.orgLabel,
      'list contact lists',
      'outbound:contactList:view',
    ).message;
  }

  const limits: OrgLimit[] = [];
  const limitProblems: string[] = [];
  for (const namespace of LIMIT_NAMESPACES) {
    try {
      const entries = await readOrgLimits(namespace, {
        apiUrl: context.apiUrl,
        tokenSource: api.tokens,
      });
      for (const entry of entries) limits.push({ namespace, ...entry });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      limitProblems.push(`Could not read the ${namespace} limits of ${api.orgLabel}: ${reason}`);
    }
  }

  return {
    orgId: context.orgId,
    genesysOrgName: me.name ?? '(unnamed org)',
    genesysOrgId: me.id ?? '',
    apiUrl: context.apiUrl,
    canViewContactLists,
    ...(contactListCount === undefined ? {} : { contactListCount }),
    ...(permissionMessage === undefined ? {} : { permissionMessage }),
    limits,
    ...(limitProblems.length === 0 ? {} : { limitsMessage: limitProblems.join(' ') }),
    checkedAt: new Date((context.nowMs ?? Date.now)()).toISOString(),
  };
}
