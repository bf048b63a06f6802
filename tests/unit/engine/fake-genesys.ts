import type { TokenSource } from '../../../core/genesys/token-source';
import type { ContactsTransport, TransportResult } from '../../../core/engine/contacts/transport';

/** What the fake server does with one request (index counts every request, from 0). */
export type FakeAnswer =
  'ok' | '429' | '500' | 'network' | 'commit-then-drop' | '401' | '403' | '404';

/**
 * An in-memory contact list behind the ContactsTransport interface: upserts by id, rejects a
 * whole batch with 400 when any contact has `data.Bad`, and answers per `plan(index)`.
 */
export class FakeGenesys implements ContactsTransport {
  readonly contacts = new Map<string, Record<string, string>>();
  /** Every contact id the server was sent, in order, including retries. */
  readonly sentIds: string[] = [];
  requests = 0;

  constructor(private readonly plan: (index: number) => FakeAnswer = () => 'ok') {}

  async postContacts(request: { bodyJson: string; accessToken: string }): Promise<TransportResult> {
    await Promise.resolve();
    const index = this.requests;
    this.requests += 1;
    const body = JSON.parse(request.bodyJson) as Array<{
      id: string;
      data: Record<string, string>;
    }>;
    for (const contact of body) this.sentIds.push(contact.id);
    const answer = this.plan(index);
    const headers = { 'inin-correlation-id': `corr-${index}` };
    const reply = (status: number, payload: unknown): TransportResult => ({
      kind: 'response',
      status,
      headers,
      bodyText: JSON.stringify(payload),
      latencyMs: 1,
    });
    if (answer === 'network') return { kind: 'network', message: 'ECONNRESET', latencyMs: 1 };
    if (answer === '429')
      return reply(429, { code: 'too.many.requests', message: 'Rate limit exceeded' });
    if (answer === '500') return reply(500, { message: 'boom' });
    if (answer === '401') return reply(401, { message: 'token expired' });
    if (answer === '404') return reply(404, { message: 'contact list not found' });
    if (answer === '403') return reply(403, { message: 'Missing permission outbound:contact:add' });
    const bad = body.find((c) => c.data.Bad !== undefined);
    if (bad)
      return reply(400, { code: 'bad.request', message: `Contact ${bad.id} has a bad value` });
    for (const contact of body) this.contacts.set(contact.id, contact.data);
    if (answer === 'commit-then-drop')
      return { kind: 'network', message: 'socket hang up', latencyMs: 1 };
    return reply(200, body);
  }
}

/** A token source that counts invalidations. */
export class FakeTokens implements TokenSource {
  generation = 0;
  invalidations = 0;
  async getAccessToken(): Promise<string> {
    return `token-${this.generation}`;
  }
  invalidate(): void {
    this.invalidations += 1;
    this.generation += 1;
  }
}
