import type { SettledRowShape } from '../../../../core/contract';

/** What the consultant narrows the rows to. Empty strings mean "any". */
export interface RowFilter {
  status: string;
  code: string;
  text: string;
}

export const noFilter: RowFilter = { status: '', code: '', text: '' };

const statusLabel = (status: number) => (status === 0 ? 'local (checked here)' : `HTTP ${status}`);

/** The rows that pass the filter. */
export function applyFilter(
  rows: readonly SettledRowShape[],
  filter: RowFilter,
): SettledRowShape[] {
  const text = filter.text.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (filter.status === '' || String(row.status) === filter.status) &&
      (filter.code === '' || (row.code ?? '') === filter.code) &&
      (text === '' ||
        row.reason.toLowerCase().includes(text) ||
        String(row.row) === text ||
        Object.values(row.data ?? {}).some((value) => value.toLowerCase().includes(text))),
  );
}

/** Status, rule (code) and free text filters, with the counts each choice would give. */
export function RowFilters({
  rows,
  filter,
  onChange,
}: {
  rows: readonly SettledRowShape[];
  filter: RowFilter;
  onChange: (filter: RowFilter) => void;
}) {
  const count = (values: Array<string | undefined>) => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value ?? '', (counts.get(value ?? '') ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  };
  const statuses = count(rows.map((row) => String(row.status)));
  const codes = count(rows.map((row) => row.code)).filter(([code]) => code !== '');
  return (
    <div className="options-grid filters">
      <label>
        Status
        <select
          aria-label="Filter by status"
          value={filter.status}
          onChange={(event) => onChange({ ...filter, status: event.target.value })}
        >
          <option value="">Any status</option>
          {statuses.map(([status, n]) => (
            <option key={status} value={status}>
              {statusLabel(Number(status))} ({n.toLocaleString()})
            </option>
          ))}
        </select>
      </label>
      {codes.length > 0 && (
        <label>
          Rule or error code
          <select
            aria-label="Filter by rule"
            value={filter.code}
            onChange={(event) => onChange({ ...filter, code: event.target.value })}
          >
            <option value="">Any rule</option>
            {codes.map(([code, n]) => (
              <option key={code} value={code}>
                {code} ({n.toLocaleString()})
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Reason or value contains
        <input
          aria-label="Filter by reason"
          type="search"
          value={filter.text}
          placeholder="e.g. phone, 429, a name"
          onChange={(event) => onChange({ ...filter, text: event.target.value })}
        />
      </label>
    </div>
  );
}
