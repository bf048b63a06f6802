import { describe, expect, it } from 'vitest';
import { OrgStore } from '../../../core/sandbox/org-store';
import { buildConfig } from '../../../core/sandbox/scenarios';

const config = buildConfig('demo');
const org = { ...(config.orgs[0] as (typeof config.orgs)[number]), lists: [] };
const phone = { phoneColumns: [{ columnName: 'Phone', type: 'Cell' }] };
const contact = (id: string | undefined) => ({
  id,
  data: { Phone: '1' },
  callable: undefined,
  phoneNumberStatus: undefined,
});

describe('org store caps (help article "Create a new contact list")', () => {
  it('refuses more than 50 columns, over-long names and references to unknown columns', () => {
    const store = new OrgStore(org, config.rules);
    const columns = Array.from({ length: 51 }, (_, index) => `C${index}`);
    expect(() =>
      store.createList({
        name: 'Wide',
        columnNames: columns,
        phoneColumns: [{ columnName: 'C0', type: 'Cell' }],
      }),
    ).toThrow(/at most 50 columns/);
    expect(() =>
      store.createList({ name: 'Long', columnNames: ['x'.repeat(129)], ...phone }),
    ).toThrow(/longer than 128/);
    expect(() => store.createList({ name: 'Ref', columnNames: ['Name'], ...phone })).toThrow(
      /'Phone' is referenced/,
    );
    const phones = Array.from({ length: 11 }, (_, index) => `P${index}`);
    expect(() =>
      store.createList({
        name: 'Phones',
        columnNames: phones,
        phoneColumns: phones.map((columnName) => ({ columnName, type: 'Cell' })),
      }),
    ).toThrow(/at most 10 phone columns/);
    expect(store.createList({ name: 'Ok', columnNames: ['Phone'], ...phone }).version).toBe(1);
  });

  it('enforces contacts per list, per org and lists per org, for the whole request', () => {
    const rules = {
      ...config.rules,
      maxContactsPerList: 3,
      maxContactsPerOrg: 4,
      maxListsPerOrg: 2,
    };
    const store = new OrgStore(org, rules);
    const first = store.getList(
      store.createList({ name: 'A', columnNames: ['Phone'], ...phone }).id,
    );
    const second = store.getList(
      store.createList({ name: 'B', columnNames: ['Phone'], ...phone }).id,
    );
    expect(() => store.createList({ name: 'C', columnNames: ['Phone'], ...phone })).toThrow(
      /maximum is 2/,
    );
    store.upsert(first, [contact('1'), contact('2')]);
    expect(() => store.upsert(first, [contact('2'), contact('3'), contact('4')])).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'contact.list.size.limit.exceeded',
        message: expect.stringMatching(/has 2 contacts; adding 2 would exceed its limit of 3/),
      }),
    );
    expect(first.contacts.size).toBe(2);
    store.upsert(first, [contact('1'), contact('3')]);
    expect(() => store.upsert(second, [contact('x'), contact('y')])).toThrow(
      expect.objectContaining({
        code: 'org.contact.limit.exceeded',
        message: expect.stringMatching(/organization has 3 contacts; adding 2 .* limit of 4/),
      }),
    );
    expect(store.contactCount).toBe(3);
  });

  it('upserts in place: same object, new data, call records kept unless clearSystemData', () => {
    const store = new OrgStore(org, config.rules);
    const state = store.getList(
      store.createList({ name: 'A', columnNames: ['Phone'], ...phone }).id,
    );
    const [created] = store.upsert(state, [contact('k')]);
    if (created === undefined) throw new Error('no contact');
    created.callRecords = { Phone: { lastAttempt: 'x' } };
    const [updated] = store.upsert(state, [{ ...contact('k'), data: { Phone: '2' } }]);
    expect(updated).toBe(created);
    expect(updated).toMatchObject({
      data: { Phone: '2' },
      callRecords: { Phone: { lastAttempt: 'x' } },
    });
    store.upsert(state, [contact('k')], { clearSystemData: true });
    expect(created.callRecords).toEqual({});
    const [generated] = store.upsert(state, [contact(undefined)]);
    expect(generated?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.removeContacts(state, ['k', 'unknown'])).toBe(1);
    expect(store.contactCount).toBe(1);
  });
});
