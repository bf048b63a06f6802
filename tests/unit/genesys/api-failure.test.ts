import { describe, expect, it } from 'vitest';
import { describeApiFailure } from '../../../core/genesys/api-failure';
import { GenesysAuthError } from '../../../core/genesys/auth-error';
import { summariseContactList } from '../../../core/genesys/contact-lists';
import { GenesysApiError } from '../../../core/genesys/sdk-client';

const http = (
  status: number,
  extra: Partial<ConstructorParameters<typeof GenesysApiError>[0]> = {},
) =>
  new GenesysApiError({
    kind: 'http',
    status,
    code: `http.${status}`,
    message: 'server says',
    correlationId: 'corr-1',
    ...extra,
  });

describe('describeApiFailure', () => {
  it('names the missing permission on 403', () => {
    const failure = describeApiFailure(
      http(403),
      'Acme',
      'list contact lists',
      'outbound:contactList:view',
    );
    expect(failure.kind).toBe('forbidden');
    expect(failure.message).toContain('give its role the permission outbound:contactList:view');
    expect(failure.detail).toContain('correlationId=corr-1');
  });

  it('maps 401, 404, 429, 5xx and network errors to what to do', () => {
    expect(describeApiFailure(http(401), 'Acme', 'x').message).toMatch(
      /Sign out and sign in again/,
    );
    expect(describeApiFailure(http(404), 'Acme', 'x').kind).toBe('not-found');
    expect(describeApiFailure(http(429, { retryAfterSeconds: 7 }), 'Acme', 'x').message).toMatch(
      /retry in 7 s/,
    );
    expect(describeApiFailure(http(503), 'Acme', 'x').kind).toBe('unavailable');
    const network = new GenesysApiError({
      kind: 'network',
      status: 0,
      code: 'ECONNREFUSED',
      message: 'refused',
    });
    expect(describeApiFailure(network, 'Acme', 'x').message).toMatch(
      /Cannot reach Acme .*ECONNREFUSED/,
    );
  });

  it('keeps a sign-in error message as is', () => {
    const error = new GenesysAuthError(
      'bad-credentials',
      'The client id or secret was refused by Acme.',
    );
    expect(describeApiFailure(error, 'Acme', 'x')).toMatchObject({
      kind: 'unauthorized',
      message: 'The client id or secret was refused by Acme.',
    });
  });
});

describe('summariseContactList', () => {
  it('keeps what the list browser shows and drops malformed parts', () => {
    const summary = summariseContactList({
      id: 'L1',
      name: 'Spring',
      columnNames: ['Id', 'Phone', 7],
      phoneColumns: [{ columnName: 'Phone', type: 'cell', callableTimeColumn: 'Tz' }, 'junk'],
      size: 42,
      importStatus: { state: 'IN_PROGRESS', percentComplete: 50, totalRecords: 10 },
      division: { name: 'Home' },
    });
    expect(summary).toEqual({
      id: 'L1',
      name: 'Spring',
      columnNames: ['Id', 'Phone'],
      phoneColumns: [{ columnName: 'Phone', type: 'cell', callableTimeColumn: 'Tz' }],
      emailColumns: [],
      size: 42,
      importStatus: { state: 'IN_PROGRESS', percentComplete: 50, totalRecords: 10 },
      divisionName: 'Home',
    });
  });
});
