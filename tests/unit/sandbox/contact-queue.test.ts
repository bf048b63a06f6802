import { describe, expect, it } from 'vitest';
import { rateLimitBody } from '../../../core/sandbox/api-pipeline';
import { validateContacts } from '../../../core/sandbox/contact-validation';
import { OrgStore } from '../../../core/sandbox/org-store';
import { buildConfig, POST_CONTACTS_ROUTE } from '../../../core/sandbox/scenarios';
import { SandboxWorld } from '../../../core/sandbox/world';

const config = buildConfig('demo');
const org = { ...(config.orgs[0] as (typeof config.orgs)[number]), lists: [] };
const contact = (id: string, phone = '1') => ({
  id,
  data: { Phone: phone },
  callable: undefined,
  phoneNumberStatus: undefined,
});

function freshList() {
  const store = new OrgStore(org, config.rules);
  const list = store.createList({
    name: 'Q',
    columnNames: ['Phone', 'Name'],
    phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
  });
  return { store, state: store.getList(list.id) };
}

const record = (state: ReturnType<typeof freshList>['state'], id: string) => state.records.get(id);

describe('dialing queue per contact (docs/GENESYS.md#contact-do-not-queue)', () => {
  it('queues new contacts whatever doNotQueue says (it has no effect on new contacts)', () => {
    const { store, state } = freshList();
    store.upsert(state, [contact('a')], { doNotQueue: true });
    store.upsert(state, [contact('b')], { priority: true });
    expect(record(state, 'a')).toMatchObject({ queueState: 'queued', writes: 1 });
    expect(record(state, 'b')).toMatchObject({ queueState: 'queued', queuedWithPriority: true });
  });

  it('keeps a dialed contact dialed on doNotQueue=true and re-queues it otherwise', () => {
    const { store, state } = freshList();
    store.upsert(state, [contact('a'), contact('b')]);
    expect(store.markDialed(state, undefined, 0)).toBe(2);
    store.upsert(state, [contact('a', '2')], { doNotQueue: true });
    store.upsert(state, [contact('b', '2')], { doNotQueue: false, priority: true });
    expect(record(state, 'a')).toMatchObject({ queueState: 'dialed', writes: 2, dialAttempts: 1 });
    expect(record(state, 'b')).toMatchObject({
      queueState: 'queued',
      queuedWithPriority: true,
      writes: 2,
    });
  });

  it('counts dial attempts and call records until clearSystemData', () => {
    const { store, state } = freshList();
    store.upsert(state, [contact('a')]);
    store.markDialed(state, ['a', 'unknown'], 1_000);
    store.markDialed(state, ['a'], 2_000);
    expect(record(state, 'a')?.dialAttempts).toBe(2);
    expect(state.contacts.get('a')?.callRecords).toEqual({
      Phone: { lastAttempt: new Date(2_000).toISOString(), lastResult: 'ININ-OUTBOUND-NO-ANSWER' },
    });
    store.upsert(state, [contact('a')], { clearSystemData: true, doNotQueue: true });
    expect(record(state, 'a')).toMatchObject({ dialAttempts: 0, queueState: 'dialed' });
    expect(state.contacts.get('a')?.callRecords).toEqual({});
  });

  it('records writes by source: imports count but carry no query flags; removal forgets them', () => {
    const { store, state } = freshList();
    store.upsert(state, [contact('a')], { source: 'import', nowMs: 5 });
    expect(record(state, 'a')).toMatchObject({ writes: 1, lastFlags: undefined });
    store.upsert(state, [contact('a')], { doNotQueue: true });
    expect(record(state, 'a')?.lastFlags).toEqual({
      doNotQueue: true,
      priority: false,
      clearSystemData: false,
    });
    store.removeContacts(state, ['a']);
    expect(state.records.size).toBe(0);
    store.upsert(state, [contact('b')]);
    store.clearList(state);
    expect(state.records.size).toBe(0);
  });
});

describe('column names (docs/GENESYS.md#column-match-case-insensitive)', () => {
  it('matches data keys to list columns case-insensitively and keeps the list spelling', () => {
    const { state } = freshList();
    const [valid] = validateContacts(
      [{ contactListId: state.list.id, id: 'x', data: { PHONE: '1', name: 'Ada' } }],
      state.list,
      config.rules,
    );
    expect(valid?.data).toEqual({ Phone: '1', Name: 'Ada' });
    expect(() =>
      validateContacts(
        [{ contactListId: state.list.id, data: { Shoe: '42' } }],
        state.list,
        config.rules,
      ),
    ).toThrow(/column 'Shoe'/);
  });
});

describe('429 body (docs/GENESYS.md#rate-limit-429-body)', () => {
  it('says the wait in the message with the retry.after code, or neither', () => {
    expect(rateLimitBody(7)).toEqual({
      code: 'too.many.requests.retry.after',
      message: 'Rate limit exceeded the maximum. Retry the request in [7] seconds',
    });
    expect(rateLimitBody(undefined)).toEqual({
      code: 'too.many.requests',
      message: 'Rate limit exceeded the maximum. Retry later.',
    });
  });
});

describe('scripted answers', () => {
  it('are consumed in order, per route, and forgotten on reset', () => {
    const world = new SandboxWorld('demo', undefined, 1);
    world.scripted.push(
      { route: POST_CONTACTS_ROUTE, status: 409, code: 'a', message: 'A', count: 2 },
      { route: POST_CONTACTS_ROUTE, status: 403, code: 'b', message: 'B', count: 1 },
    );
    expect(world.takeScriptedAnswer('GET /other')).toBeUndefined();
    const statuses = [1, 2, 3, 4].map(() => world.takeScriptedAnswer(POST_CONTACTS_ROUTE)?.status);
    expect(statuses).toEqual([409, 409, 403, undefined]);
    world.scripted.push({ route: 'GET /x', status: 500, code: 'c', message: 'C', count: 1 });
    world.reset('demo');
    expect(world.takeScriptedAnswer('GET /x')).toBeUndefined();
  });
});
