import type { SchemaSummary } from '../../../../core/contract';
import { suggestIdHeader } from '../../../../core/csv/id-column-match';
import { LabelledSelect } from '../../components/labelled-select';
import { mappedColumns, type MappingDraft } from './mapping-model';

type IdRule = MappingDraft['contactId'];

/** The select's value for a rule: 'hash', 'column:<list column>' or 'csv:<header>'. */
function optionValue(rule: IdRule): string {
  if (rule.kind === 'column') return `column:${rule.column}`;
  if (rule.kind === 'csv-column') return `csv:${rule.header}`;
  return 'hash';
}

/**
 * Chooses the contact id (docs/ARCHITECTURE.md, "Contact ids"): a stable hash of mapped list
 * columns, a mapped list column's value, or any CSV column's value as written, mapped or not (a
 * CRM export's id the list has no column for). A CSV column that looks like an id and whose
 * values are filled and unique in the file's first rows is offered in one click, never chosen
 * silently.
 */
export function ContactIdPicker({
  schema,
  headers,
  sampleRows,
  mapping,
  onChange,
}: {
  schema: SchemaSummary;
  headers: string[];
  /** The file's first rows (cells in header order), to tell whether a column's values are unique. */
  sampleRows: string[][];
  mapping: MappingDraft;
  onChange: (mapping: MappingDraft) => void;
}) {
  const rule = mapping.contactId;
  const mapped = mappedColumns(mapping, schema.columnNames);
  const choose = (value: string) => {
    const contactId: IdRule =
      value === 'hash'
        ? { kind: 'hash', columns: mapped.length ? mapped : schema.columnNames }
        : value.startsWith('csv:')
          ? { kind: 'csv-column', header: value.slice('csv:'.length) }
          : { kind: 'column', column: value.slice('column:'.length) };
    onChange({ ...mapping, contactId });
  };
  const suggestion = suggestIdHeader(headers, sampleRows);
  const offered =
    suggestion && !(rule.kind === 'csv-column' && rule.header === suggestion.header)
      ? suggestion
      : undefined;
  return (
    <div className="contact-id-picker">
      <LabelledSelect label="Contact id" value={optionValue(rule)} onValue={choose}>
        {/* Auto-match hashes the phone columns only when there are some (one contact per
            number): the option names the columns the id is made from. */}
        <option value="hash">
          {rule.kind === 'hash' && rule.columns.length > 0
            ? `Stable hash of ${rule.columns.join(' + ')}`
            : 'Stable hash of the mapped columns'}
        </option>
        {mapped.map((column) => (
          <option key={`column:${column}`} value={`column:${column}`}>
            Column {column} (unique per contact)
          </option>
        ))}
        {headers.map((header) => (
          <option key={`csv:${header}`} value={`csv:${header}`}>
            CSV column {header}
          </option>
        ))}
      </LabelledSelect>
      {offered && (
        <p className="muted" data-testid="contact-id-suggestion">
          The CSV column “{offered.header}” {offered.why}: as the contact id it keeps apart people
          who share a phone number.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => choose(`csv:${offered.header}`)}
          >
            Use “{offered.header}” as Contact id
          </button>
        </p>
      )}
    </div>
  );
}
