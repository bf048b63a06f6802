import type { PreviewRow } from '../../../../core/contract';
import { countOf } from '../../../../core/text/count';

/** The first rows as they would be uploaded, with each problem shown on its cell. */
export function PreviewTable({ columns, rows }: { columns: string[]; rows: PreviewRow[] }) {
  const bad = rows.filter((row) => !row.ok).length;
  return (
    <div className="preview">
      <p className="muted">
        First {countOf(rows.length, 'row')}: {rows.length - bad} ready, {bad} with problems.
      </p>
      <div className="table-scroll">
        <table className="data compact" aria-label="Preview">
          <thead>
            <tr>
              <th scope="col">Row</th>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
              <th scope="col">Problems</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const problemColumns = new Set(row.problems.map((problem) => problem.column));
              return (
                <tr key={row.rowNumber} className={row.ok ? undefined : 'row-bad'}>
                  <td>{row.rowNumber}</td>
                  {columns.map((column) => (
                    <td
                      key={column}
                      className={problemColumns.has(column) ? 'cell-bad' : undefined}
                    >
                      {row.values[column] ?? ''}
                    </td>
                  ))}
                  <td>
                    {row.problems.map((problem, index) => (
                      <div key={index} className="problem">
                        {problem.message}
                      </div>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
