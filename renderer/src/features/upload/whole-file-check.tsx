import type { FileCheck } from '../../../../core/contract';
import { ErrorText } from '../../components/error-text';
import type { FileCheckJob } from './file-check-job';
import { countOf, noun } from '../../../../core/text/count';
import { ProblemsByRule } from '../../components/problems-by-rule';

/**
 * Checks every row of the file with the chosen mapping (streaming, in the same worker the
 * Prepare screen uses) and shows the counts by rule and the rejected rows, before anything is
 * written to the org. The check runs in the Upload draft (useFileCheckJob), so it goes on while
 * the consultant looks at other screens. A check of a large file can be cancelled
 * (`csv:cancelCheck`); a cancelled check is said so, not shown as an error, and leaves the
 * previous result as it was.
 */
export function WholeFileCheck({
  job,
  run,
  result,
  onChecked,
}: {
  job: FileCheckJob;
  /** Runs the check; resolves to its result. */
  run: (jobId: string) => Promise<FileCheck>;
  result: FileCheck | undefined;
  onChecked: (check: FileCheck) => void;
}) {
  const { running } = job;
  return (
    <div className="whole-file-check">
      <div className="actions">
        <button
          type="button"
          className={result ? undefined : 'primary'}
          disabled={running !== undefined}
          onClick={() => job.start(run, onChecked)}
        >
          {running
            ? `Checking… ${countOf(running.rowsSoFar, 'row')}`
            : result
              ? 'Check again'
              : 'Check the whole file'}
        </button>
        {running && (
          <button type="button" onClick={job.cancel}>
            Cancel check
          </button>
        )}
      </div>
      {job.cancelled && (
        <p className="muted" role="status">
          The check was cancelled before it finished.
        </p>
      )}
      <ErrorText error={job.error} />
      {result && <CheckReport check={result} />}
    </div>
  );
}

function CheckReport({ check }: { check: FileCheck }) {
  // One grid, in file order: rejected rows first at each row number, then rows with a warning.
  const rows = [
    ...check.errorRows.map((row) => ({ ...row, warning: false })),
    ...check.warningRows.map((row) => ({ ...row, warning: true })),
  ].sort((a, b) => a.rowNumber - b.rowNumber || Number(a.warning) - Number(b.warning));
  const shownRejected = check.rejected > check.errorRows.length;
  const shownWarned = check.warned > check.warningRows.length;
  return (
    <div data-testid="file-check">
      <p>
        <strong>{countOf(check.rowsRead, 'row')}</strong> in the file:{' '}
        <strong>{check.clean.toLocaleString()}</strong> ready to send,{' '}
        <strong>{check.rejected.toLocaleString()}</strong> will be rejected.
        {check.warned > 0 && (
          <>
            {' '}
            <strong>{check.warned.toLocaleString()}</strong> of the rows to send{' '}
            {noun(check.warned, 'has', 'have')} a warning.
          </>
        )}
      </p>
      <ProblemsByRule
        label="Problems by rule"
        byRule={check.byRule}
        byWarning={check.byWarning}
        notes={check.ruleNotes}
        rejectedEffect="Rejected"
        warnedEffect="Sent, with a warning"
      />
      {rows.length > 0 && (
        <>
          <p className="muted">
            Rows to look at
            {shownRejected || shownWarned
              ? ` (the first ${check.errorRows.length.toLocaleString()} rejected and ${check.warningRows.length.toLocaleString()} with a warning)`
              : ''}
            :
          </p>
          <div className="table-scroll check-errors">
            <table className="data compact" aria-label="Rows to look at">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Effect</th>
                  <th scope="col">Why</th>
                  {check.headers.map((header) => (
                    <th key={header} scope="col">
                      {header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr
                    key={`${row.rowNumber}-${row.warning ? 'w' : 'r'}`}
                    className={row.warning ? 'row-warn' : 'row-bad'}
                  >
                    <td>{row.rowNumber}</td>
                    <td>{row.warning ? 'Warning' : 'Rejected'}</td>
                    <td className="check-why">{row.reasons}</td>
                    {check.headers.map((header, index) => (
                      <td key={header}>{row.values[index] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
