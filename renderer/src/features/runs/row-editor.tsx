import { useEffect, useRef, useState } from 'react';
import type { SettledRowShape } from '../../../../core/contract';

/**
 * Corrects one failed or rejected row: every value it was read with, editable. Saving checks the
 * row with the run's own rules and sends it again (with the run's other failed rows).
 */
export function RowEditor({
  row,
  busy,
  problems,
  onSave,
  onCancel,
}: {
  row: SettledRowShape;
  busy: boolean;
  problems: string[];
  onSave: (data: Record<string, string>) => void;
  onCancel: () => void;
}) {
  const [data, setData] = useState<Record<string, string>>(() => ({ ...(row.data ?? {}) }));
  const keys = Object.keys(data);
  // The editor opens below a table that may hold thousands of rows: it comes into sight with the
  // keyboard in its first value, or a keyboard user would Tab through every row's button to
  // reach it. Escape is Cancel.
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    section.current?.scrollIntoView({ block: 'nearest' });
    section.current?.querySelector('input')?.focus({ preventScroll: true });
  }, []);
  return (
    <section
      ref={section}
      className="summary row-editor"
      aria-label={`Correct row ${row.row}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <h2>Correct row {row.row.toLocaleString()}</h2>
      <p className="problem">{row.reason}</p>
      {keys.length === 0 && (
        <p className="muted">Sluice kept no values for this row: fix it in the CSV instead.</p>
      )}
      <div className="options-grid">
        {keys.map((key) => (
          <label key={key}>
            {key}
            <input
              aria-label={`Value of ${key}`}
              value={data[key] ?? ''}
              onChange={(event) =>
                setData((current) => ({ ...current, [key]: event.target.value }))
              }
            />
          </label>
        ))}
      </div>
      {problems.length > 0 && (
        <ul className="warnings" role="alert">
          {problems.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={busy || keys.length === 0}
          onClick={() => onSave(data)}
        >
          {busy ? 'Checking…' : 'Save and send again'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <p className="muted">
        The row is checked with the run’s mapping and rules; the run’s other failed rows are sent
        again with it.
      </p>
    </section>
  );
}
