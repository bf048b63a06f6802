import type { ReactNode } from 'react';

/**
 * A select inside its label, as the options grids lay them out: `label` is the text shown and,
 * unless `name` says otherwise, the select's accessible name; `onValue` gets the chosen
 * option's value. The options are the children.
 */
export function LabelledSelect({
  label,
  name = label,
  value,
  onValue,
  children,
}: {
  label: string;
  /** The accessible name when it should say more than the label (e.g. "Filter by status"). */
  name?: string;
  value: string;
  onValue: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <label>
      {label}
      <select aria-label={name} value={value} onChange={(event) => onValue(event.target.value)}>
        {children}
      </select>
    </label>
  );
}
