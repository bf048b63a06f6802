import type { ReactNode } from 'react';

/**
 * A select inside its label, as the options grids lay them out: `label` is both the text shown
 * and the select's accessible name, and `onValue` gets the chosen option's value. The options
 * are the children.
 */
export function LabelledSelect({
  label,
  value,
  onValue,
  children,
}: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <label>
      {label}
      <select aria-label={label} value={value} onChange={(event) => onValue(event.target.value)}>
        {children}
      </select>
    </label>
  );
}
