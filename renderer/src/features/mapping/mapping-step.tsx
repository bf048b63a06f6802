import { ErrorText } from '../../components/error-text';
import { PathField } from '../../components/path-field';
import { FileSummary } from './file-summary';
import { MappingEditor } from './mapping-editor';
import { PreviewTable } from './preview-table';
import { TemplateBar } from './template-bar';
import { MappingSuggestion } from './mapping-suggestion';
import type { MappingSession } from './use-mapping-session';

/** The mapping session's source file (a CSV or workbook), with a sample to try the app on. */
export function CsvFileField({ session }: { session: MappingSession }) {
  return (
    <PathField
      label="CSV file"
      offerSample
      purpose="open-csv"
      value={session.csvPath}
      onChange={session.setCsvPath}
      placeholder="/path/to/export.csv"
    />
  );
}

/** The button that reads the file and auto-matches it, with what was detected or went wrong. */
export function ReadFileButton({
  session,
  disabled,
  onRead,
}: {
  session: MappingSession;
  disabled: boolean;
  onRead: () => void;
}) {
  return (
    <>
      <button
        type="button"
        className="primary"
        disabled={disabled || session.busy}
        onClick={onRead}
      >
        {session.busy ? 'Reading…' : 'Read file and match columns'}
      </button>
      <ErrorText error={session.error} />
      {session.notice && (
        <p className="notice" role="status" data-testid="file-changed">
          {session.notice}
        </p>
      )}
      {session.inspection && <FileSummary inspection={session.inspection} />}
      {session.inspection?.sheets && session.inspection.sheets.length > 1 && session.source && (
        <SheetPicker session={session} />
      )}
    </>
  );
}

/**
 * Chooses the sheet of a workbook with several: a sheet read for the first time is auto-matched,
 * one mapped before in this form gets its mapping back.
 */
function SheetPicker({ session }: { session: MappingSession }) {
  const sheets = session.inspection?.sheets ?? [];
  return (
    <label className="field">
      <span>Sheet</span>
      <select
        value={session.sheet ?? ''}
        disabled={session.busy}
        onChange={(event) => void session.switchSheet(event.target.value)}
      >
        {sheets.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Step 2 of both the Prepare and the Upload screens: map the file's columns onto the list's,
 * then preview the first rows as they would be uploaded. Renders nothing until a file is read.
 */
export function MappingStep({ session, id }: { session: MappingSession; id: string }) {
  if (!session.schema || !session.inspection || !session.mapping) return null;
  return (
    <section className="step" aria-labelledby={id}>
      <h2 id={id}>2. Map columns onto “{session.schema.name}”</h2>
      <MappingSuggestion session={session} />
      <TemplateBar session={session} />
      <MappingEditor
        schema={session.schema}
        headers={session.inspection.headers}
        sampleRows={session.inspection.sampleRows}
        matches={session.matches}
        mapping={session.mapping}
        onChange={session.setMapping}
      />
      <button type="button" disabled={session.busy} onClick={() => void session.refreshPreview()}>
        Preview with this mapping
      </button>
      {session.preview && <PreviewTable {...session.preview} />}
    </section>
  );
}
