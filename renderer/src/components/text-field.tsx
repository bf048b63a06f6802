import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/** What an `<input>` takes besides its id, value and change handler (placeholder, required...). */
type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;

/**
 * A labelled one-line text input in a form's `.field` row: the label names the input (its
 * accessible name), and `onValue` gets the text as typed.
 */
export function TextField({
  label,
  value,
  onValue,
  ...input
}: {
  label: ReactNode;
  value: string;
  onValue: (value: string) => void;
} & InputProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(event) => onValue(event.target.value)} {...input} />
    </div>
  );
}
