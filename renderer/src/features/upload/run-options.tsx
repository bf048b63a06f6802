import { LabelledSelect } from '../../components/labelled-select';

/** How a run sends its rows; the defaults suit almost every load. */
export interface RunOptions {
  strategy: 'contacts' | 'import';
  headroomPercent: number;
  batchSize: number;
  requeueUpdated: boolean;
  priority: boolean;
  clearSystemData: boolean;
}

export const defaultRunOptions: RunOptions = {
  strategy: 'contacts',
  headroomPercent: 10,
  batchSize: 1000,
  requeueUpdated: false,
  priority: false,
  clearSystemData: false,
};

/** The queue options, each with what it does to contacts the list already has, in one line. */
const QUEUE_OPTIONS: { key: 'requeueUpdated' | 'priority' | 'clearSystemData'; label: string }[] = [
  {
    key: 'requeueUpdated',
    label: 'Re-queue contacts already in the list (a dialer may call them again)',
  },
  { key: 'priority', label: 'Put new and re-queued contacts at the front of the dialing queue' },
  {
    key: 'clearSystemData',
    label: 'Clear updated contacts’ call attempts and results (callable again from scratch)',
  },
];

/** Strategy, headroom, batch size and the queue options, each with the trade-off in a sentence. */
export function RunOptionsForm({
  value,
  onChange,
}: {
  value: RunOptions;
  onChange: (options: RunOptions) => void;
}) {
  return (
    <div className="options-grid">
      <LabelledSelect
        label="Strategy"
        value={value.strategy}
        onValue={(strategy) =>
          // a bulk import has no queue flags: switching to it turns them off
          onChange({
            ...value,
            strategy: strategy as RunOptions['strategy'],
            ...(strategy === 'import' ? { requeueUpdated: false, priority: false } : {}),
          })
        }
      >
        <option value="contacts">Contacts API (per-row results, pause, resume, retry)</option>
        <option value="import">Bulk import (fewer calls; no per-row errors or ids)</option>
      </LabelledSelect>
      <label>
        Headroom for the customer’s own traffic (%)
        <input
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
      {QUEUE_OPTIONS.filter(
        (option) => value.strategy === 'contacts' || option.key === 'clearSystemData',
      ).map((option) => (
        <label key={option.key}>
          <input
            type="checkbox"
            aria-label={option.label}
            checked={value[option.key]}
            onChange={(event) => onChange({ ...value, [option.key]: event.target.checked })}
          />
          {option.label}
        </label>
      ))}
    </div>
  );
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
