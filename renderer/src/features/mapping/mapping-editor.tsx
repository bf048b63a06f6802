import type { ColumnMatchShape, SchemaSummary } from '../../../../core/contract';
import { LabelledSelect } from '../../components/labelled-select';
import { ConfidenceBadge } from './confidence-badge';
import { useCountryOptions } from './locale-country';
import { ContactIdPicker } from './contact-id-picker';
import { headerOf, isCustom, withHeader, type MappingDraft } from './mapping-model';

/**
 * Maps each contact-list column to a CSV header. Auto-match fills only confident pairs; a
 * low-confidence suggestion is shown with a button to accept it, never applied silently.
 */
export function MappingEditor({
  schema,
  headers,
  sampleRows,
  matches,
  mapping,
  onChange,
}: {
  schema: SchemaSummary;
  headers: string[];
  /** The file's first rows (cells in header order), for the contact id suggestion. */
  sampleRows: string[][];
  matches: ColumnMatchShape[];
  mapping: MappingDraft;
  onChange: (mapping: MappingDraft) => void;
}) {
  const countries = useCountryOptions();
  const phones = new Set(schema.phoneColumns.map((phone) => phone.columnName));
  const matchFor = (column: string) => matches.find((match) => match.listColumn === column);
  const setPhone = (patch: MappingDraft['phone']) =>
    onChange({ ...mapping, phone: { ...mapping.phone, ...patch } });

  return (
    <div className="mapping-editor">
      <table className="data" aria-label="Column mapping">
        <thead>
          <tr>
            <th scope="col">List column</th>
            <th scope="col">CSV column</th>
            <th scope="col">Auto-match</th>
          </tr>
        </thead>
        <tbody>
          {schema.columnNames.map((column) => {
            const match = matchFor(column);
            const current = headerOf(mapping, column);
            const suggestion =
              match && !match.autoMap && match.csvHeader && current === ''
                ? match.csvHeader
                : undefined;
            return (
              <tr key={column}>
                <th scope="row">
                  {column} {phones.has(column) && <span className="badge">phone</span>}
                </th>
                <td>
                  {isCustom(mapping, column) ? (
                    <span className="muted">custom rule from the mapping file</span>
                  ) : (
                    <select
                      aria-label={`CSV column for ${column}`}
                      value={current}
                      onChange={(event) =>
                        onChange(withHeader(mapping, column, event.target.value))
                      }
                    >
                      <option value="">(leave empty)</option>
                      {headers.map((header) => (
                        <option key={header} value={header}>
                          {header}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>
                  <ConfidenceBadge match={match} />
                  {suggestion && (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => onChange(withHeader(mapping, column, suggestion))}
                    >
                      Use “{suggestion}”
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <div className="options-grid">
        <ContactIdPicker
          schema={schema}
          headers={headers}
          sampleRows={sampleRows}
          mapping={mapping}
          onChange={onChange}
        />
        <LabelledSelect
          label="Duplicate ids in the file"
          value={mapping.duplicateIds ?? 'keep-first'}
          onValue={(value) =>
            onChange({ ...mapping, duplicateIds: value as MappingDraft['duplicateIds'] })
          }
        >
          <option value="keep-first">Keep the first, reject the others</option>
          <option value="keep-last">Keep the last, reject the others</option>
          <option value="reject-all">Reject every copy</option>
        </LabelledSelect>
        <LabelledSelect
          label="Default phone country"
          value={mapping.phone?.defaultCountry ?? ''}
          onValue={(value) => setPhone({ defaultCountry: value || undefined })}
        >
          <option value="">None: numbers must start with +</option>
          {/* The chosen country stays shown while the list of names loads. */}
          {countries.length === 0 && mapping.phone?.defaultCountry && (
            <option value={mapping.phone.defaultCountry}>{mapping.phone.defaultCountry}</option>
          )}
          {countries.map(([code, name]) => (
            <option key={code} value={code}>
              {name} ({code})
            </option>
          ))}
        </LabelledSelect>
        <LabelledSelect
          label="Invalid phone numbers"
          value={mapping.phone?.invalid ?? 'reject'}
          onValue={(value) => setPhone({ invalid: value as 'reject' | 'keep' })}
        >
          <option value="reject">Reject the row</option>
          <option value="keep">Keep the value as written</option>
        </LabelledSelect>
      </div>
    </div>
  );
}
