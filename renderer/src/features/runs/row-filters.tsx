import type { SettledRowsFacet, SettledRowsFilter } from '../../../../core/contract';

/** What the consultant narrows the rows to (the host applies it). Empty strings mean "any". */
export type RowFilter = SettledRowsFilter;

export const noFilter: RowFilter = { status: '', code: '', text: '' };

const statusLabel = (status: number) => (status === 0 ? 'local (checked here)' : `HTTP ${status}`);

/** Status, rule (code) and free text filters, with the counts each choice would give. */
export function RowFilters({
  facets,
  filter,
  onChange,
}: {
  /** Counts by status and by code over every row of the outcome, as the host gives them. */
  facets: { statuses: SettledRowsFacet; codes: SettledRowsFacet };
  filter: RowFilter;
  onChange: (filter: RowFilter) => void;
}) {
  const statuses = facets.statuses.map(({ value, rows }) => [value, rows] as const);
  const codes = facets.codes.map(({ value, rows }) => [value, rows] as const);
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
          type="search"
          value={filter.text}
          placeholder="e.g. phone, 429, a name"
          onChange={(event) => onChange({ ...filter, text: event.target.value })}
        />
      </label>
    </div>
  );
}
