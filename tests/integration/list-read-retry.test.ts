import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedTokenSource, readContactListJson } from '../../core/genesys/contact-list-reader';

// Reading a list's columns survives throttling and passing server errors, and says what is
// wrong when it cannot.
let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(
  answers: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>,
) {
  let calls = 0;
  server = http.createServer((_request, response) => {
    const answer = answers[Math.min(calls, answers.length - 1)]!;
    calls += 1;
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(answer.body ?? { message: 'nope' }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`,
    calls: () => calls,
  };
}

const fast = { baseDelayMs: 1, maxDelayMs: 5 };

describe('readContactListJson', () => {
  it('waits out 429s (Retry-After as a floor) and 503s, then returns the list', async () => {
    const { apiUrl, calls } = await serve([
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 503 },
      { status: 200, body: { id: 'l1', name: 'Renewals', columnNames: ['A'] } },
    ]);
    const json = await readContactListJson({
      apiUrl,
      tokenSource: fixedTokenSource('t'),
      contactListId: 'l1',
      backoff: fast,
    });
    expect(json).toMatchObject({ name: 'Renewals' });
    expect(calls()).toBe(3);
  });

  it('gives up after its time budget with a message that says what happened', async () => {
    const { apiUrl, calls } = await serve([{ status: 429, headers: { 'retry-after': '0' } }]);
    await expect(
      readContactListJson({
        apiUrl,
        tokenSource: fixedTokenSource('t'),
        contactListId: 'l1',
        backoff: fast,
        giveUpAfterMs: 200,
      }),
    ).rejects.toThrow(/Gave up after retrying for \d+ s; last error: /);
    expect(calls()).toBeGreaterThan(1);
  });

  it('does not retry a 404 or a 403', async () => {
    const { apiUrl, calls } = await serve([
      { status: 404, headers: { 'inin-correlation-id': 'c-1' } },
    ]);
    await expect(
      readContactListJson({
        apiUrl,
        tokenSource: fixedTokenSource('t'),
        contactListId: 'x',
        backoff: fast,
      }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/Contact list x was not found/),
      detail: { status: 404, correlationId: 'c-1' },
    });
    expect(calls()).toBe(1);
  });
});
