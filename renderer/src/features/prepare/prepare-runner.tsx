import { useEffect, useState } from 'react';
import { ContractError, type PrepareResult, type SchemaSource } from '../../../../core/contract';
import { useApi } from '../../api/context';
import { ErrorText, messageOf } from '../../components/error-text';
import { PathField } from '../../components/path-field';
import { ProgressBar } from '../../components/progress-bar';
import { writeWithConfirm } from '../../components/confirm-overwrite';
import { useConfirm } from '../../components/confirm-dialog';
import type { MappingDraft } from '../mapping/mapping-model';
import { countOf } from '../../../../core/text/count';
import { ProblemsByRule } from '../../components/problems-by-rule';

/** "/a/export.csv" → "/a/export.clean.csv" (and ".rejects.csv"). */
function siblingPath(csvPath: string, suffix: string): string {
  return csvPath.replace(/(\.[^./\\]+)?$/, `.${suffix}.csv`);
}

/** Runs `csv:prepare` with live progress, a Cancel button and the summary by rule. */
export function PrepareRunner({
  csvPath,
  sheet,
  source,
  mapping,
}: {
  csvPath: string;
  /** The sheet of a workbook (absent for CSV files). */
  sheet?: string | undefined;
  source: SchemaSource;
  mapping: MappingDraft;
}) {
  const api = useApi();
  const confirm = useConfirm();
  const [outPath, setOutPath] = useState(() => siblingPath(csvPath, 'clean'));
  const [rejectsPath, setRejectsPath] = useState(() => siblingPath(csvPath, 'rejects'));
  const [jobId, setJobId] = useState<string>();
  const [progress, setProgress] = useState<{
    bytesRead: number;
    totalBytes: number;
    rowsRead: number;
  }>();
  const [result, setResult] = useState<PrepareResult>();
  const [error, setError] = useState<string>();
  const [cancelled, setCancelled] = useState(false);

  useEffect(
    () =>
      api.on('csv:progress', (event) => {
        if (event.jobId === jobId) setProgress(event);
      }),
    [api, jobId],
  );

  const start = async () => {
    const id = `prepare-${Date.now()}`;
    setJobId(id);
    setResult(undefined);
    setError(undefined);
    setCancelled(false);
    setProgress(undefined);
    try {
      const prepared = await writeWithConfirm(
        (overwrite) =>
          api.invoke('csv:prepare', {
            jobId: id,
            path: csvPath,
            ...(sheet ? { sheet } : {}),
            source,
            mapping,
            outPath,
            rejectsPath,
            overwrite,
          }),
        confirm,
      );
      if (prepared) setResult(prepared);
    } catch (caught) {
      if (caught instanceof ContractError && caught.code === 'cancelled') setCancelled(true);
      else setError(messageOf(caught));
    } finally {
      setJobId(undefined);
    }
  };

  return (
    <div>
      <PathField label="Clean file" purpose="save-csv" value={outPath} onChange={setOutPath} />
      <PathField
        label="Rejects file"
        purpose="save-csv"
        value={rejectsPath}
        onChange={setRejectsPath}
      />
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={Boolean(jobId)}
          onClick={() => void start()}
        >
          Prepare
        </button>
        {jobId && (
          <button type="button" onClick={() => void api.invoke('csv:cancel', { jobId })}>
            Cancel
          </button>
        )}
      </div>
      {jobId && (
        <ProgressBar
          label="Preparing"
          value={progress?.bytesRead ?? 0}
          max={progress?.totalBytes ?? 1}
          detail={`${countOf(progress?.rowsRead ?? 0, 'row')} read`}
        />
      )}
      {cancelled && (
        <p className="muted" role="status">
          The preparation was cancelled. No clean or rejects file was written.
        </p>
      )}
      <ErrorText error={error} />
      {result && <PrepareSummary result={result} />}
    </div>
  );
}

/** What a preparation wrote: counts, each rule and warning in words, the rows to look at. */
function PrepareSummary({ result }: { result: PrepareResult }) {
  return (
    <div className="summary" role="status" data-testid="prepare-summary">
      <p>
        <strong>{countOf(result.rowsRead, 'row')} read</strong>: {result.clean.toLocaleString()}{' '}
        clean, {result.rejected.toLocaleString()} rejected.
        {result.warned > 0 && (
          <>
            {' '}
            {result.warned.toLocaleString()} of the clean rows{' '}
            {result.warned === 1 ? 'has' : 'have'} a warning: they will be sent, but look at them
            first.
          </>
        )}
      </p>
      <ProblemsByRule
        label="Prepared rows by rule"
        byRule={result.byRule}
        byWarning={result.byWarning}
        rejectedEffect="Rejects file"
        warnedEffect="Clean file, with a warning"
      />
      {result.warningRows.length > 0 && (
        <>
          <p className="muted">
            Clean rows with a warning
            {result.warned > result.warningRows.length
              ? ` (the first ${result.warningRows.length.toLocaleString()})`
              : ''}
            :
          </p>
          <ul aria-label="Clean rows with a warning">
            {result.warningRows.map((row) => (
              <li key={row.rowNumber}>
                Row {row.rowNumber}: {row.reasons}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted">
        Clean file: <code>{result.outPath}</code>
        <br />
        Rejects file: <code>{result.rejectsPath}</code>
      </p>
    </div>
  );
}
