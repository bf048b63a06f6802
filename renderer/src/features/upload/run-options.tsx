/** How a run sends its rows; the defaults suit almost every load. */
export interface RunOptions {
  strategy: 'contacts' | 'import';
  headroomPercent: number;
  batchSize: number;
}

export const defaultRunOptions: RunOptions = {
  strategy: 'contacts',
  headroomPercent: 10,
  batchSize: 1000,
};

/** Strategy, headroom and batch size, each with the trade-off in a sentence. */
export function RunOptionsForm({
  value,
  onChange,
}: {
  value: RunOptions;
  onChange: (options: RunOptions) => void;
}) {
  return (
    <div className="options-grid">
      <label>
        Strategy
        <select
          aria-label="Strategy"
          value={value.strategy}
          onChange={(event) =>
            onChange({ ...value, strategy: event.target.value as RunOptions['strategy'] })
          }
        >
          <option value="contacts">Contacts API (per-row results, pause, resume, retry)</option>
          <option value="import">Bulk import (fewer calls; no per-row errors or ids)</option>
        </select>
      </label>
      <label>
        Headroom for the customer’s own traffic (%)
        <input
          aria-label="Headroom"
          type="number"
          min={0}
          max={90}
          value={value.headroomPercent}
          onChange={(event) =>
            onChange({ ...value, headroomPercent: clamp(Number(event.target.value), 0, 90) })
          }
        />
      </label>
      <label>
        Contacts per request (max 1,000)
        <input
          aria-label="Batch size"
          type="number"
          min={1}
          max={1000}
          value={value.batchSize}
          onChange={(event) =>
            onChange({
              ...value,
              batchSize: clamp(Math.round(Number(event.target.value)), 1, 1000),
            })
          }
        />
      </label>
    </div>
  );
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
