import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGenesys } from '../../core/genesys/sdk-client';
import { POST_CONTACTS_ROUTE, type Sandbox } from '../../core/sandbox';
import {
  failureOf,
  idPrefix,
  readList,
  sandboxOnly,
  startTarget,
  stopTarget,
  type FidelityTarget,
} from './target';

/** Contact writes: upsert, doNotQueue/priority/clearSystemData, column case, caps (docs/GENESYS.md). */
let target: FidelityTarget;
let phoneColumn: string;
let columns: string[];
const written: string[] = [];

beforeAll(async () => {
  target = await startTarget({ rules: { maxContactsPerList: 20, maxContactsPerOrg: 1_000_000 } });
  ({ phoneColumn, columns } = await readList(target).then((list) => ({
    phoneColumn: list.phoneColumn,
    columns: list.columnNames,
  })));
});
afterAll(() => stopTarget(target, written));

type Flags = { doNotQueue?: boolean; priority?: boolean; clearSystemData?: boolean };

/** Posts contacts `{id, phone}` with query flags; returns the stored contacts. */
async function post(contacts: { id: string; data: Record<string, string> }[], flags: Flags = {}) {
  written.push(...contacts.map((contact) => contact.id));
  const answer = await callGenesys<{ id: string; data: Record<string, string> }[]>(() =>
    target.sdk.outbound.postOutboundContactlistContacts(
      target.listId,
      contacts.map((contact) => ({ contactListId: target.listId, ...contact })),
      flags,
    ),
  );
  return answer.body;
}

const phone = (index: number) => `+1317555${String(1000 + index).slice(-4)}`;

/** The Sandbox (for tests marked sandbox-only, where it always exists). */
const sandbox = (): Sandbox => target.sandbox as Sandbox;

describe('contact upsert', () => {
  it('#contact-upsert-by-id (SDK WritableDialerContact/DialerContact): a second POST of an id updates it, no duplicate', async () => {
    const id = `${idPrefix('upsert')}1`;
    const [created] = await post([{ id, data: { [phoneColumn]: phone(1) } }]);
    expect(created?.id).toBe(id);
    const [updated] = await post([{ id, data: { [phoneColumn]: phone(2) } }]);
    expect(updated).toMatchObject({ id, data: { [phoneColumn]: phone(2) } });
    const read = await callGenesys<{ id: string }[]>(() =>
      target.sdk.outbound.postOutboundContactlistContactsBulk(target.listId, [id]),
    );
    expect(read.body.map((contact) => contact.id)).toEqual([id]);
    if (target.sandbox !== undefined) {
      const record = sandbox()
        .inspect.contactWrites(target.listId)
        .find((entry) => entry.id === id);
      expect(record?.writes).toBe(2);
    }
  });

  it('#column-match-case-insensitive (help "Append records"): data keys in another case land in the list spelling', async () => {
    const id = `${idPrefix('case')}1`;
    const [stored] = await post([{ id, data: { [phoneColumn.toUpperCase()]: phone(3) } }]);
    expect(stored?.data).toEqual({ [phoneColumn]: phone(3) });
    expect(columns).toContain(phoneColumn);
  });

  it('#list-value-limits (help "Create a new contact list"): a value over 512 characters refuses the request', async () => {
    const id = `${idPrefix('long')}1`;
    const other = columns.find((column) => column !== phoneColumn) ?? phoneColumn;
    const error = await failureOf(() =>
      target.sdk.outbound.postOutboundContactlistContacts(target.listId, [
        {
          contactListId: target.listId,
          id,
          data: { [phoneColumn]: phone(4), [other]: 'x'.repeat(513) },
        },
      ]),
    );
    expect(error.status).toBe(400);
  });
});

describe('dialing queue (SDK 262 OutboundApi.js postOutboundContactlistContacts)', () => {
  const reason = 'needs a campaign to dial contacts (Sandbox inspect.markDialed)';

  sandboxOnly(
    '#contact-do-not-queue: an update with doNotQueue=true leaves a dialed contact dialed',
    reason,
    async () => {
      const id = `${idPrefix('dnq')}1`;
      await post([{ id, data: { [phoneColumn]: phone(5) } }]);
      expect(sandbox().inspect.markDialed(target.listId, [id])).toBe(1);
      await post([{ id, data: { [phoneColumn]: phone(6) } }], { doNotQueue: true });
      const record = sandbox()
        .inspect.contactWrites(target.listId)
        .find((entry) => entry.id === id);
      expect(record).toMatchObject({
        queueState: 'dialed',
        writes: 2,
        lastFlags: { doNotQueue: true, priority: false, clearSystemData: false },
      });
    },
  );

  sandboxOnly(
    '#contact-do-not-queue: an update with doNotQueue=false (the default) re-queues a dialed contact',
    reason,
    async () => {
      const id = `${idPrefix('requeue')}1`;
      await post([{ id, data: { [phoneColumn]: phone(7) } }]);
      sandbox().inspect.markDialed(target.listId, [id]);
      await post([{ id, data: { [phoneColumn]: phone(8) } }]);
      const record = sandbox()
        .inspect.contactWrites(target.listId)
        .find((entry) => entry.id === id);
      expect(record).toMatchObject({ queueState: 'queued', queuedWithPriority: false });
    },
  );

  sandboxOnly(
    '#contact-priority: a re-queue with priority=true queues the contact to be dialed next',
    reason,
    async () => {
      const id = `${idPrefix('priority')}1`;
      await post([{ id, data: { [phoneColumn]: phone(9) } }]);
      sandbox().inspect.markDialed(target.listId, [id]);
      await post([{ id, data: { [phoneColumn]: phone(9) } }], { priority: true });
      const record = sandbox()
        .inspect.contactWrites(target.listId)
        .find((entry) => entry.id === id);
      expect(record).toMatchObject({ queueState: 'queued', queuedWithPriority: true });
    },
  );

  sandboxOnly(
    '#contact-clear-system-data: attempts survive an update, clearSystemData=true clears them',
    reason,
    async () => {
      const id = `${idPrefix('clear')}1`;
      await post([{ id, data: { [phoneColumn]: phone(10) } }]);
      sandbox().inspect.markDialed(target.listId, [id]);
      const [kept] = await post([{ id, data: { [phoneColumn]: phone(10) } }], { doNotQueue: true });
      expect(Object.keys((kept as unknown as { callRecords: object }).callRecords)).toEqual([
        phoneColumn,
      ]);
      const [cleared] = await post([{ id, data: { [phoneColumn]: phone(10) } }], {
        clearSystemData: true,
      });
      expect((cleared as unknown as { callRecords: object }).callRecords).toEqual({});
      const record = sandbox()
        .inspect.contactWrites(target.listId)
        .find((entry) => entry.id === id);
      expect(record?.dialAttempts).toBe(0);
    },
  );
});

describe('request-level errors', () => {
  sandboxOnly(
    '#list-capacity (help "Create a new contact list"): a write past the list cap is one request-level refusal, nothing stored',
    'needs a list cap lowered to 20',
    async () => {
      sandbox().inspect.clearRequests();
      const before = sandbox().inspect.contacts(target.listId).length;
      const batch = Array.from({ length: 21 - before }, (_, index) => ({
        id: `${idPrefix('full')}${index}`,
        data: { [phoneColumn]: phone(20 + index) },
      }));
      const error = await failureOf(() =>
        target.sdk.outbound.postOutboundContactlistContacts(
          target.listId,
          batch.map((contact) => ({ contactListId: target.listId, ...contact })),
        ),
      );
      expect(error).toMatchObject({ status: 400, code: 'contact.list.size.limit.exceeded' });
      expect(error.message).toMatch(/exceed its limit of 20/);
      expect(sandbox().inspect.contacts(target.listId)).toHaveLength(before);
      const posts = sandbox()
        .inspect.requests()
        .filter((entry) => entry.method === 'POST' && entry.path.endsWith('/contacts'));
      expect(posts.map((entry) => entry.status)).toEqual([400]);
    },
  );

  sandboxOnly(
    '#request-level-errors (Genesys API definitions: 409 on POST contacts): a scripted 409 reaches the caller as 409',
    'needs a scripted answer',
    async () => {
      sandbox().inspect.scriptAnswers([
        {
          route: POST_CONTACTS_ROUTE,
          status: 409,
          code: 'resource.conflict',
          message: 'Conflict.',
          count: 1,
        },
      ]);
      const id = `${idPrefix('conflict')}1`;
      const error = await failureOf(() =>
        target.sdk.outbound.postOutboundContactlistContacts(target.listId, [
          { contactListId: target.listId, id, data: { [phoneColumn]: phone(30) } },
        ]),
      );
      expect(error).toMatchObject({ status: 409, code: 'resource.conflict', retryable: false });
      expect(
        sandbox()
          .inspect.contacts(target.listId)
          .some((contact) => contact.id === id),
      ).toBe(false);
    },
  );
});

sandboxOnly(
  "#contact-do-not-queue: the request log records each POST's doNotQueue and priority",
  'reads the Sandbox request log',
  async () => {
    sandbox().inspect.clearRequests();
    const id = `${idPrefix('log')}1`;
    await post([{ id, data: { [phoneColumn]: phone(40) } }], { doNotQueue: true, priority: false });
    const [entry] = sandbox().inspect.requests();
    expect(entry).toMatchObject({
      method: 'POST',
      status: 200,
      query: { doNotQueue: 'true', priority: 'false' },
      contactCount: 1,
    });
    expect(entry?.bodyBytes).toBeGreaterThan(20);
  },
);
