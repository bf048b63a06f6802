import { describe, expect, it } from 'vitest';
import { validateContacts } from '../../../core/sandbox/contact-validation';
import { SandboxHttpError } from '../../../core/sandbox/http-kit';
import { buildConfig } from '../../../core/sandbox/scenarios';
import type { ContactList } from '../../../core/sandbox/types';

const rules = buildConfig('demo').rules;
const list: ContactList = {
  id: 'L1',
  name: 'Collections',
  dateCreated: '',
  dateModified: '',
  version: 1,
  division: { id: 'd', name: 'Home', selfUri: '' },
  columnNames: ['Name', 'Phone', 'Balance', 'Due', 'Lang'],
  phoneColumns: [{ columnName: 'Phone', type: 'Cell' }],
  emailColumns: [],
  automaticTimeZoneMapping: false,
  columnDataTypeSpecifications: [
    { columnName: 'Balance', columnDataType: 'NUMERIC', min: 0, max: 100 },
    { columnName: 'Due', columnDataType: 'TIMESTAMP' },
    { columnName: 'Lang', columnDataType: 'TEXT', maxLength: 2 },
  ],
  trimWhitespace: true,
  selfUri: '',
};

function rejection(body: unknown, customRules = rules): SandboxHttpError {
  try {
    validateContacts(body, list, customRules);
  } catch (error) {
    if (error instanceof SandboxHttpError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('contact validation', () => {
  it('accepts valid contacts, trims when the list says so, stringifies numbers', () => {
    const [contact] = validateContacts(
      [
        {
          contactListId: 'L1',
          id: 'c1',
          data: { Name: '  Ada ', Balance: 12.5, Due: '2026-03-01 14:30', Lang: 'en' },
        },
      ],
      list,
      rules,
    );
    expect(contact).toEqual({
      id: 'c1',
      data: { Name: 'Ada', Balance: '12.5', Due: '2026-03-01 14:30', Lang: 'en' },
      callable: undefined,
      phoneNumberStatus: undefined,
    });
  });

  it('rejects the whole request with a message naming the problem', () => {
    const ok = { contactListId: 'L1', data: { Name: 'x' } };
    expect(rejection({}).message).toMatch(/JSON array/);
    expect(rejection([]).message).toMatch(/no contacts/);
    expect(rejection([ok, { contactListId: 'L1', data: { Nope: 'x' } }]).message).toMatch(
      /contacts\[1\].*'Nope'.*not a column/,
    );
    expect(rejection([{ contactListId: 'L1', data: { Name: 'x'.repeat(513) } }]).message).toMatch(
      /513 characters.*maximum is 512/,
    );
    expect(rejection([{ contactListId: 'L2', data: {} }]).message).toMatch(/does not match/);
    expect(rejection([{ contactListId: 'L1', data: { Balance: 'abc' } }]).message).toMatch(
      /not a number/,
    );
    expect(rejection([{ contactListId: 'L1', data: { Balance: '101' } }]).message).toMatch(
      /above the maximum 100/,
    );
    expect(rejection([{ contactListId: 'L1', data: { Due: 'tomorrow' } }]).message).toMatch(
      /not a timestamp/,
    );
    expect(rejection([{ contactListId: 'L1', data: { Lang: 'eng' } }]).message).toMatch(/allows 2/);
    expect(rejection([ok, ok, ok], { ...rules, maxContactsPerRequest: 2 })).toMatchObject({
      status: 400,
      message: expect.stringMatching(/at most 2 contacts; this one has 3/),
    });
  });
});
