import type { SettledRowShape } from '../../../../core/contract';

/** Rows that did not upload, with the reason and the technical detail for support. */
export function RowsTable({
  rows,
  selected,
  onSelect,
  onEdit,
}: {
  rows: SettledRowShape[];
  /** When given, each row gets a checkbox (rows chosen for an action such as Skip). */
  selected?: ReadonlySet<number>;
  onSelect?: (rows: number[], chosen: boolean) => void;
  /** When given, each row gets a Correct… button. */
  onEdit?: (row: SettledRowShape) => void;
}) {
  if (rows.length === 0) return <p className="muted">No rows here.</p>;
  const selectable = selected !== undefined && onSelect !== undefined;
  const allChosen = selectable && rows.every((row) => selected.has(row.row));
  return (
    <div className="table-scroll">
      <table className="data compact" aria-label="Rows">
        <thead>
          <tr>
            {selectable && (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Choose every row shown"
                  checked={allChosen}
                  onChange={(event) =>
                    onSelect(
                      rows.map((row) => row.row),
                      event.target.checked,
                    )
                  }
                />
              </th>
            )}
            <th scope="col">Row</th>
            <th scope="col">Contact id</th>
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col">Correlation id</th>
            <th scope="col">Data</th>
            {onEdit && <th scope="col">Fix</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.row}>
              {selectable && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Choose row ${row.row}`}
                    checked={selected.has(row.row)}
                    onChange={(event) => onSelect([row.row], event.target.checked)}
                  />
                </td>
              )}
              <td>{row.row.toLocaleString()}</td>
              <td>{row.contactId ?? '—'}</td>
              <td className="problem">{row.reason}</td>
              <td>
                {row.status === 0 ? 'local' : row.status}
                {row.code && <div className="muted">{row.code}</div>}
              </td>
              <td>
                <code>{row.correlationId ?? '—'}</code>
              </td>
              <td className="muted">
                {Object.entries(row.data ?? {})
                  .slice(0, 4)
                  .map(([column, value]) => `${column}: ${value}`)
                  .join(' · ')}
              </td>
              {onEdit && (
                <td>
                  <button
                    type="button"
                    aria-label={`Correct row ${row.row}`}
                    onClick={() => onEdit(row)}
                  >
                    Correct…
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
