import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { SettledRowShape } from '../../../../core/contract';

const ROW_HEIGHT_PX = 38;

/**
 * Rows that did not upload, with the reason and the technical detail for support. Only the rows
 * in sight are in the page (virtualised) and only their pages are fetched (`onRange`), so
 * 100,000 rows open and scroll as smoothly as 10; the
 * header and the Fix column stay in sight.
 */
export function RowsTable({
  count,
  rowAt,
  onRange,
  selected,
  onSelect,
  allChosen = false,
  onSelectAll,
  onEdit,
}: {
  /** Rows in the list (the filtered count). */
  count: number;
  /** The row at an index, or undefined while its page is still on its way. */
  rowAt: (index: number) => SettledRowShape | undefined;
  /** Called with the first and last index in sight (overscan included), to fetch their pages. */
  onRange?: (first: number, last: number) => void;
  /** When given, each row gets a checkbox (rows chosen for an action such as Skip). */
  selected?: ReadonlySet<number>;
  onSelect?: (rows: number[], chosen: boolean) => void;
  /** Whether every row of the list is chosen, and how to choose or clear them all. */
  allChosen?: boolean;
  onSelectAll?: (chosen: boolean) => void;
  /** When given, each row gets a Correct… button. */
  onEdit?: (row: SettledRowShape) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualiser's functions are not memoisable by the React compiler; this is expected.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (last >= first) onRange?.(first, last);
  }, [first, last, onRange]);
  if (count === 0) return <p className="muted">No rows here.</p>;
  const selectable = selected !== undefined && onSelect !== undefined;
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const columns = 6 + (selectable ? 1 : 0) + (onEdit ? 1 : 0);
  return (
    <div className="table-scroll rows-scroll" ref={scroller}>
      <table
        className="data compact sticky-actions sticky-head"
        aria-label="Rows"
        aria-rowcount={count + 1}
      >
        <thead>
          <tr>
            {selectable && (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Choose every row in the list"
                  checked={allChosen}
                  disabled={!onSelectAll}
                  onChange={(event) => onSelectAll?.(event.target.checked)}
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
          {before > 0 && (
            <tr aria-hidden="true" style={{ height: before }}>
              <td colSpan={columns} />
            </tr>
          )}
          {items.map((item) => {
            const row = rowAt(item.index);
            if (!row) {
              return (
                <tr key={`loading-${item.index}`} style={{ height: ROW_HEIGHT_PX }}>
                  <td colSpan={columns} className="muted">
                    Loading row…
                  </td>
                </tr>
              );
            }
            return (
              <tr key={row.row} style={{ height: ROW_HEIGHT_PX }} aria-rowindex={item.index + 2}>
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
                <td className="clip">{row.contactId ?? '—'}</td>
                <td className="problem clip" title={row.reason}>
                  {row.reason}
                </td>
                <td>
                  {row.status === 0 ? 'local' : row.status}
                  {row.code && <span className="muted"> {row.code}</span>}
                </td>
                <td className="clip">
                  <code>{row.correlationId ?? '—'}</code>
                </td>
                <td className="muted clip">
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
            );
          })}
          {after > 0 && (
            <tr aria-hidden="true" style={{ height: after }}>
              <td colSpan={columns} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
