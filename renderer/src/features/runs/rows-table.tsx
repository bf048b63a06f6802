import type { SettledRowShape } from '../../../../core/contract';

/** Rows that did not upload, with the reason and the technical detail for support. */
export function RowsTable({ rows }: { rows: SettledRowShape[] }) {
  if (rows.length === 0) return <p className="muted">No rows here.</p>;
  return (
    <div className="table-scroll">
      <table className="data compact" aria-label="Rows">
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Contact id</th>
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col">Correlation id</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.row}>
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
