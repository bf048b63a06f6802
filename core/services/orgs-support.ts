import { z } from 'zod';
import { ContractError, type ContractErrorCode } from '../contract';
import { describeApiFailure, type ApiFailureKind } from '../genesys/api-failure';
import { GenesysAuthError } from '../genesys/auth-error';
import { GenesysCallError } from '../genesys/http/genesys-http';
import { isRegionKey, normaliseBaseUrl, REGIONS } from '../genesys/regions';
import { OrgProfile, type ProfileRegion } from '../store/org-profile';

/**
 * Checks a region choice and its base URL: a region key from the table (the base URL is then
 * ignored), or `custom` with an http(s) base URL. Throws an `invalid-request` ContractError
 * listing the valid regions.
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
    try {
      return { region, apiUrl: normaliseBaseUrl(apiUrl) };
    } catch (error) {
      throw new ContractError('invalid-request', (error as Error).message);
    }
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
