import { useState, type FormEvent } from 'react';
import type { ContactListSummary } from '../../../core/contract';
import { useApi, useCall } from '../api/context';
import { ErrorText, messageOf } from '../components/error-text';
import { PathField } from '../components/path-field';
import { Screen } from '../components/screen';
import { countOf } from '../../../core/text/count';

const PAGE_SIZE = 25;

/** Browse each org's contact lists: search, columns, phone columns, size, import status; save a schema; create a list. */
export function ListsScreen() {
  const orgs = useCall('orgs:list', {});
  const [chosenOrg, setChosenOrg] = useState<string>();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState({ name: '', pageNumber: 1 });
  const [selected, setSelected] = useState<string>();
  const [creating, setCreating] = useState(false);
  const orgId = chosenOrg ?? orgs.data?.[0]?.id;
  const page = useCall(
    'lists:search',
    {
      orgId: orgId ?? '',
      name: search.name || undefined,
      pageNumber: search.pageNumber,
      pageSize: PAGE_SIZE,
    },
    orgId ? `${orgId}|${search.name}|${search.pageNumber}` : 'none',
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSelected(undefined);
    setSearch({ name: query.trim(), pageNumber: 1 });
  };
  const lists = orgId ? page.data : undefined;

  return (
    <Screen
      title="Contact lists"
      intro="Browse each org's contact lists, their columns and phone columns; save a list's schema for offline preparation."
    >
      <form className="field-row" onSubmit={submit} role="search">
        <label htmlFor="lists-org">Org</label>
        <select
          id="lists-org"
          value={orgId ?? ''}
          onChange={(event) => {
            setChosenOrg(event.target.value);
            setSelected(undefined);
            setSearch({ name: '', pageNumber: 1 });
          }}
        >
          {(orgs.data ?? []).map((org) => (
            <option key={org.id} value={org.id}>
              {org.name}
              {org.status === 'signed-in'
                ? ''
                : ` (${org.authMethod === 'pkce' ? 'sign in first' : 'signs in on use'})`}
            </option>
          ))}
        </select>
        <label htmlFor="lists-query">Name contains</label>
        <input
          id="lists-query"
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit">Search</button>
        <button type="button" onClick={() => setCreating((value) => !value)} disabled={!orgId}>
          New list…
        </button>
      </form>
      <ErrorText error={orgs.error ?? (orgId ? page.error : undefined)} />
      {orgId && page.loading && !lists && <p aria-busy="true">Loading contact lists…</p>}
      {creating && orgId && (
        <CreateListForm
          orgId={orgId}
          onCreated={(id) => (setCreating(false), setSelected(id), page.reload())}
        />
      )}
      {lists && (
        <>
          <p className="muted" aria-live="polite">
            {countOf(lists.total, 'list')}
            {search.name && ` whose name contains “${search.name}”`} · page {lists.pageNumber} of{' '}
            {lists.pageCount}
          </p>
          <table className="data" data-testid="lists-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Columns</th>
                <th scope="col">Phone columns</th>
                <th scope="col">Contacts</th>
                <th scope="col">Import</th>
              </tr>
            </thead>
            <tbody>
              {lists.entities.map((list) => (
                <tr key={list.id} aria-selected={selected === list.id}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => setSelected(list.id)}
                    >
                      {list.name}
                    </button>
                    {list.divisionName && <div className="muted">{list.divisionName}</div>}
                  </td>
                  <td>{list.columnNames.length}</td>
                  <td>
                    {list.phoneColumns
                      .map((column) => `${column.columnName} (${column.type})`)
                      .join(', ') || '—'}
                  </td>
                  <td>{list.size?.toLocaleString() ?? '—'}</td>
                  <td>{importLabel(list)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button
              type="button"
              disabled={lists.pageNumber <= 1}
              onClick={() => setSearch((s) => ({ ...s, pageNumber: s.pageNumber - 1 }))}
            >
              Previous page
            </button>
            <button
              type="button"
              disabled={lists.pageNumber >= lists.pageCount}
              onClick={() => setSearch((s) => ({ ...s, pageNumber: s.pageNumber + 1 }))}
            >
              Next page
            </button>
          </div>
        </>
      )}
      {orgId && selected && <ListDetail orgId={orgId} listId={selected} />}
    </Screen>
  );
}

function importLabel(list: ContactListSummary): string {
  const status = list.importStatus;
  if (!status) return '—';
  if (status.failureReason) return `${status.state}: ${status.failureReason}`;
  return status.percentComplete === undefined
    ? status.state
    : `${status.state} (${status.percentComplete}%)`;
}

/** One list's schema: columns, phone columns and data types, and "save for offline preparation". */
function ListDetail({ orgId, listId }: { orgId: string; listId: string }) {
  const api = useApi();
  const detail = useCall('lists:get', { orgId, listId }, `${orgId}|${listId}`);
  const [filePath, setFilePath] = useState('');
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string>();
  const summary = detail.data?.summary;
  const types = (detail.data?.json.columnDataTypeSpecifications ?? []) as {
    columnName: string;
    columnDataType: string;
  }[];
  const typeOf = (column: string) =>
    types.find((spec) => spec.columnName === column)?.columnDataType ?? 'TEXT';

  const save = async () => {
    setError(undefined);
    setSaved(undefined);
    try {
      const result = await api.invoke('lists:saveSchema', {
        orgId,
        listId,
        ...(filePath.trim() ? { filePath: filePath.trim() } : {}),
      });
      setSaved(`Saved to ${result.filePath} (${result.bytes.toLocaleString()} bytes).`);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <section className="step" aria-labelledby="list-detail" data-testid="list-detail">
      <h2 id="list-detail">{summary ? summary.name : 'Loading list…'}</h2>
      <ErrorText error={detail.error} />
      {summary && (
        <>
          <p className="muted">
            Id {summary.id} · version {summary.version ?? '?'}
            {summary.size !== undefined && ` · ${countOf(summary.size, 'contact')}`}
          </p>
          <table className="data compact">
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Type</th>
                <th scope="col">Phone</th>
              </tr>
            </thead>
            <tbody>
              {summary.columnNames.map((column) => {
                const phone = summary.phoneColumns.find((entry) => entry.columnName === column);
                return (
                  <tr key={column}>
                    <td>{column}</td>
                    <td>{typeOf(column)}</td>
                    <td>{phone ? phone.type || 'phone' : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <PathField
            label="Save the schema to (empty: Sluice's schemas folder)"
            purpose="save-json"
            value={filePath}
            onChange={setFilePath}
            placeholder={`/path/to/${summary.name}.json`}
          />
          <button type="button" className="primary" onClick={() => void save()}>
            Save schema for offline preparation
          </button>
          {saved && (
            <p className="notice" role="status" data-testid="schema-saved">
              {saved}
            </p>
          )}
          <ErrorText error={error} />
        </>
      )}
    </section>
  );
}

/** Creates a list from column names; the consultant ticks which columns hold phone numbers. */
function CreateListForm({
  orgId,
  onCreated,
}: {
  orgId: string;
  onCreated: (listId: string) => void;
}) {
  const api = useApi();
  const [name, setName] = useState('');
  const [columnsText, setColumnsText] = useState('');
  const [phones, setPhones] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const columns = [
    ...new Set(
      columnsText
        .split(/[,\n]/)
        .map((column) => column.trim())
        .filter(Boolean),
    ),
  ];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const created = await api.invoke('lists:create', {
        orgId,
        name,
        columnNames: columns,
        phoneColumns: phones
          .filter((phone) => columns.includes(phone))
          .map((columnName) => ({ columnName, type: 'cell' })),
      });
      onCreated(created.id);
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <form className="step" onSubmit={(event) => void submit(event)} aria-label="New contact list">
      <h2>New contact list</h2>
      <div className="field">
        <label htmlFor="new-list-name">Name</label>
        <input
          id="new-list-name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="new-list-columns">Columns (comma or line separated, at most 50)</label>
        <textarea
          id="new-list-columns"
          rows={3}
          value={columnsText}
          onChange={(event) => setColumnsText(event.target.value)}
        />
      </div>
      {columns.length > 0 && (
        <fieldset className="options-grid">
          <legend>Phone columns</legend>
          {columns.map((column) => (
            <label key={column}>
              <input
                type="checkbox"
                checked={phones.includes(column)}
                onChange={(event) =>
                  setPhones((current) =>
                    event.target.checked
                      ? [...current, column]
                      : current.filter((entry) => entry !== column),
                  )
                }
              />{' '}
              {column}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorText error={error} />
      <button
        type="submit"
        className="primary"
        disabled={!name.trim() || columns.length === 0 || phones.length === 0}
      >
        Create list
      </button>
    </form>
  );
}
