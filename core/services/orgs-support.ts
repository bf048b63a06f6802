import { z } from 'zod';
import { ContractError, type ContractErrorCode } from '../contract';
import { describeApiFailure, type ApiFailureKind } from '../genesys/api-failure';
import { GenesysAuthError } from '../genesys/auth-error';
import { GenesysCallError } from '../genesys/http/genesys-http';
import { isRegionKey, normaliseBaseUrl, REGIONS } from '../genesys/regions';
import { OrgProfile, type ProfileRegion } from '../store/org-profile';

/** 127.0.0.0/8, ::1 and localhost: where plain HTTP never leaves the machine (the Sandbox). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * True when `apiUrl` is the built-in Sandbox's address at this launch (`sandboxUrl`): same
 * scheme, port and path, on a loopback host (127.0.0.1 and localhost are the same machine).
 */
export function isBuiltInSandboxAddress(apiUrl: string, sandboxUrl: string): boolean {
  let url: URL;
  let sandbox: URL;
  try {
    url = new URL(normaliseBaseUrl(apiUrl));
    sandbox = new URL(normaliseBaseUrl(sandboxUrl));
  } catch {
    return false;
  }
  const sameHost =
    url.hostname === sandbox.hostname ||
    (isLoopbackHost(url.hostname) && isLoopbackHost(sandbox.hostname));
  return (
    sameHost &&
    url.protocol === sandbox.protocol &&
    url.port === sandbox.port &&
    url.pathname === sandbox.pathname
  );
}

/**
 * Why a custom org of the built-in Sandbox cannot connect in a process that runs no built-in
 * Sandbox (the CLI, or the app when its Sandbox could not start).
 */
export function noBuiltInSandboxMessage(orgName: string): string {
  return `${orgName} is an org of the built-in Sandbox, which runs only inside the Sluice app and gets a new address at every launch. Use ${orgName} from the app, or run a Sandbox at a fixed address (sluice sandbox --port 4100) and add an org for it with that base URL (http://127.0.0.1:4100).`;
}

/**
 * Checks a region choice and its base URL: a region key from the table (the base URL is then
 * ignored), or `custom` with an https base URL (http only on loopback, e.g. the Sandbox).
 * Throws an `invalid-request` ContractError listing the valid regions.
 */
export function placement(
  region: string,
  apiUrl: string | undefined,
): { region: ProfileRegion; apiUrl?: string } {
  if (region === 'custom') {
    if (!apiUrl) {
      throw new ContractError(
        'invalid-request',
        'A custom org needs a base URL, e.g. http://127.0.0.1:4100.',
      );
    }
    let normalised: string;
    try {
      normalised = normaliseBaseUrl(apiUrl);
    } catch (error) {
      throw new ContractError('invalid-request', (error as Error).message);
    }
    // The client secret travels in a Basic header at sign-in: plain HTTP only to this machine.
    const url = new URL(normalised);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new ContractError(
        'invalid-request',
        `${normalised} uses plain http: use https://, or http:// only for this machine (127.0.0.1, localhost).`,
      );
    }
    return { region, apiUrl: normalised };
  }
  if (!isRegionKey(region)) {
    throw new ContractError(
      'invalid-request',
      `Unknown region "${region}". Use one of: ${REGIONS.map((entry) => entry.region).join(', ')}, or custom with a base URL.`,
    );
  }
  return { region };
}

/** Validates a profile, turning zod's issues into one readable `invalid-request` error. */
export function parseProfile(candidate: Record<string, unknown>): OrgProfile {
  const parsed = OrgProfile.safeParse(candidate);
  if (!parsed.success) {
    throw new ContractError('invalid-request', `Invalid org: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** The contract error code of an API failure kind. */
export function contractCode(kind: ApiFailureKind): ContractErrorCode {
  switch (kind) {
    case 'unauthorized':
    case 'forbidden':
      return 'unauthorized';
    case 'not-found':
      return 'not-found';
    case 'invalid':
      return 'invalid-request';
    default:
      return 'unavailable';
  }
}

/**
 * Turns anything a sign-in or an API call threw into a ContractError whose message says what to
 * do. ContractErrors pass through; sign-in errors keep their message; SDK errors are explained
 * with {@link describeApiFailure}.
 */
export function toContractError(
  error: unknown,
  orgLabel: string,
  action: string,
  permission?: string,
): ContractError {
  if (error instanceof ContractError) return error;
  if (error instanceof GenesysAuthError) {
    const code: ContractErrorCode =
      error.kind === 'bad-credentials' || error.kind === 'state-mismatch' || error.kind === 'denied'
        ? 'unauthorized'
        : error.kind === 'cancelled'
          ? 'conflict'
          : 'unavailable';
    return new ContractError(code, error.message, error.detail);
  }
  if (error instanceof GenesysCallError) return callErrorToContract(error);
  const failure = describeApiFailure(error, orgLabel, action, permission);
  return new ContractError(contractCode(failure.kind), failure.message, failure.detail);
}

/** A direct Genesys call's failure (its reason already carries the advice) as a ContractError. */
function callErrorToContract(error: GenesysCallError): ContractError {
  const { status, correlationId } = error.detail;
  const code: ContractErrorCode =
    error.code === 'cancelled'
      ? 'conflict'
      : error.code === 'gave-up'
        ? 'unavailable'
        : status === 404
          ? 'not-found'
          : status === 401 || status === 403
            ? 'unauthorized'
            : 'invalid-request';
  const detail = [`HTTP ${status}`, correlationId ? `correlation id ${correlationId}` : '']
    .filter(Boolean)
    .join(', ');
  return new ContractError(code, error.message, detail);
}
