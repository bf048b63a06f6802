import { describe, expect, it } from 'vitest';
import { fileChange, headersRead } from '../../../../renderer/src/features/mapping/file-change';
import {
  readStoredForm,
  UPLOAD_FORM_KEY,
  writeStoredForm,
  type StoredUploadFormInput,
} from '../../../../renderer/src/features/upload/stored-form';

// The Upload form kept across a reload is read back only when it has the shape this build
// writes: anything else (not JSON, an older shape, a broken mapping) is dropped, never a crash.

/** sessionStorage's calls, on a Map. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const form: StoredUploadFormInput = {
  version: 2,
  target: { orgId: 'sandbox', orgName: 'Sandbox', listId: 'list-1', listName: 'Webinar follow-up' },
  csvPath: '/data/export.csv',
  file: { sizeBytes: 120, headers: ['Email', 'Nickname'] },
  mapping: {
    columns: {
      Email: { source: { kind: 'csv', header: 'Email' } },
      FirstName: { source: { kind: 'csv', header: 'Nickname' } },
    },
    contactId: { kind: 'column', column: 'Email' },
  },
  options: {
    strategy: 'contacts',
    headroomPercent: 25,
    batchSize: 7,
    requeueUpdated: true,
    priority: false,
    clearSystemData: false,
  },
};

describe('the Upload form kept across a reload', () => {
  it('comes back as it was written, with the mapping’s defaults filled in', () => {
    const storage = memoryStorage();
    writeStoredForm(storage, form);
    const read = readStoredForm(storage);
    expect(read?.target).toEqual(form.target);
    expect(read?.csvPath).toBe('/data/export.csv');
    expect(read?.options).toEqual(form.options);
    expect(read?.mapping?.columns.FirstName?.source).toEqual({ kind: 'csv', header: 'Nickname' });
    expect(read?.mapping?.duplicateIds).toBe('keep-first');
  });

  it('brings back the mappings made for the workbook’s other sheets, by sheet name', () => {
    const storage = memoryStorage();
    const notes = {
      columns: { Email: { source: { kind: 'csv', header: 'Email' } } },
      contactId: { kind: 'column', column: 'Email' },
    } as const;
    writeStoredForm(storage, { ...form, sheet: 'Leads', otherSheets: { Notes: notes } });
    const read = readStoredForm(storage);
    expect(read?.sheet).toBe('Leads');
    expect(read?.otherSheets?.Notes?.columns.Email?.source).toEqual(notes.columns.Email.source);
    expect(read?.otherSheets?.Notes?.contactId).toEqual(notes.contactId);
  });

  it('is undefined when nothing was kept', () => {
    expect(readStoredForm(memoryStorage())).toBeUndefined();
  });

  const bad: Array<[string, unknown]> = [
    ['text that is not JSON', '{"version": 1, '],
    ['JSON that is not an object', '42'],
    ['an older shape without a version', JSON.stringify({ ...form, version: undefined })],
    [
      'the version from before other sheets’ mappings were kept',
      JSON.stringify({ ...form, version: 1 }),
    ],
    [
      'a broken mapping of another sheet',
      JSON.stringify({ ...form, otherSheets: { Notes: { columns: {} } } }),
    ],
    [
      'a shape from before the names were kept',
      JSON.stringify({ ...form, target: { orgId: 'sandbox', listId: 'list-1' } }),
    ],
    [
      'a broken mapping',
      JSON.stringify({
        ...form,
        mapping: { columns: {}, contactId: { kind: 'hash', columns: [] } },
      }),
    ],
    [
      'options out of range',
      JSON.stringify({ ...form, options: { ...form.options, batchSize: 5000 } }),
    ],
    ['options missing', JSON.stringify({ ...form, options: undefined })],
  ];
  for (const [what, text] of bad) {
    it(`ignores and forgets ${what}`, () => {
      const storage = memoryStorage({ [UPLOAD_FORM_KEY]: text as string });
      expect(readStoredForm(storage)).toBeUndefined();
      expect(storage.items.has(UPLOAD_FORM_KEY)).toBe(false);
    });
  }

  it('is undefined, not a crash, when the window has no storage', () => {
    const broken = {
      getItem: () => {
        throw new Error('storage disabled');
      },
      removeItem: () => {
        throw new Error('storage disabled');
      },
    };
    expect(readStoredForm(broken)).toBeUndefined();
    expect(() =>
      writeStoredForm(
        {
          setItem: () => {
            throw new Error('quota');
          },
        },
        form,
      ),
    ).not.toThrow();
  });
});

describe('a file read again after the reload', () => {
  const before = { sizeBytes: 120, headers: ['Email', 'Nickname'] };

  it('says nothing when its size and headers are the same', () => {
    expect(fileChange(before, { ...before }, ['Email', 'Nickname'])).toBeUndefined();
    expect(fileChange(undefined, { sizeBytes: 1, headers: [] }, [])).toBeUndefined();
  });

  it('says when only its size changed, and that the mapping is kept', () => {
    expect(fileChange(before, { ...before, sizeBytes: 140 }, ['Email'])).toBe(
      'The file changed since it was read before the reload (its size changed). The mapping is kept as it was: look at the preview and check the whole file again.',
    );
  });

  it('names the headers the mapping reads that the file lost', () => {
    expect(
      fileChange(before, { sizeBytes: 90, headers: ['Email'] }, ['Email', 'Nickname', 'Nickname']),
    ).toBe(
      'The file changed since it was read before the reload (its columns changed). The mapping reads “Nickname”, which the file no longer has: remap before checking.',
    );
  });

  it('finds the headers a mapping reads, concatenations included', () => {
    expect(
      headersRead({
        columns: {
          Email: { source: { kind: 'csv', header: 'Mail' } },
          FullName: {
            source: {
              kind: 'concat',
              parts: [
                { kind: 'csv', header: 'First' },
                { kind: 'text', value: ' ' },
                { kind: 'csv', header: 'Last' },
              ],
            },
          },
          Source: { source: { kind: 'constant', value: 'CRM' } },
        },
        contactId: { kind: 'column', column: 'Email' },
      }),
    ).toEqual(['Mail', 'First', 'Last']);
  });
});
