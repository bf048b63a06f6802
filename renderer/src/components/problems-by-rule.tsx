import { ruleText, warningText } from '../../../core/text/check-rules';

/**
 * A whole-file pass's counts in the app's words (core/text/check-rules.ts): each rejecting rule,
 * then each warning, most rows first, with what happens to those rows. The Upload screen's check
 * and the Prepare screen's summary show the same table; `notes` replaces a rule's generic words
 * with the mapping's own (why phone-hash ids repeat).
 */
export function ProblemsByRule({
  label,
  byRule,
  byWarning,
  notes = {},
  rejectedEffect,
  warnedEffect,
}: {
  label: string;
  byRule: Record<string, number>;
  byWarning: Record<string, number>;
  notes?: Record<string, string>;
  /** What happens to a rejected row ("Rejected", "Rejects file"). */
  rejectedEffect: string;
  /** What happens to a row with a warning ("Sent, with a warning"). */
  warnedEffect: string;
}) {
  const rules = Object.entries(byRule).sort((a, b) => b[1] - a[1]);
  const warnings = Object.entries(byWarning).sort((a, b) => b[1] - a[1]);
  if (rules.length === 0 && warnings.length === 0) return null;
  return (
    <table className="data compact" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Problem</th>
          <th scope="col">Rows</th>
          <th scope="col">Effect</th>
        </tr>
      </thead>
      <tbody>
        {rules.map(([rule, count]) => (
          <tr key={rule}>
            <td title={rule}>{notes[rule] ?? ruleText(rule)}</td>
            <td>{count.toLocaleString()}</td>
            <td>{rejectedEffect}</td>
          </tr>
        ))}
        {warnings.map(([warning, count]) => (
          <tr key={warning} className="row-warn">
            <td title={warning}>{warningText(warning)}</td>
            <td>{count.toLocaleString()}</td>
            <td>{warnedEffect}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
