import { useEffect, useState } from 'react';
import { useApi, useCall } from '../api/context';
import { ErrorText, messageOf } from '../components/error-text';
import { saveRunReport } from '../features/run/save-run-report';
import { Screen } from '../components/screen';
import { accountingOf } from '../features/run/accounting';
import { RunControls } from '../features/run/run-controls';
import { formatDuration } from '../features/run/run-progress';
import { isLiveState } from '../features/run/runs-store';
import { useRunsChanged } from '../features/run/use-runs-changed';
import {
  contactsPerActiveSecond,
  ELSEWHERE_POLL_MS,
  isRunningElsewhere,
} from '../features/run/running-elsewhere';
import { navigate, runHref } from '../routing';
import { useRunRemoval } from '../features/run/remove-run';

/**
 * rows read = uploaded + rejected + failed + skipped (+ pending while the run lives), each count
 * labelled; a zero reads quieter. A run going in another process shows what it has uploaded so
 * far (its summary's other counts are not current).
 */
function RowsSum({
  rowsRead,
  uploaded,
  rejected,
  failed,
  skipped,
  pending,
  elsewhere,
}: {
  rowsRead: number;
  uploaded: number;
  rejected: number;
  failed: number;
  skipped: number;
  pending: number | undefined;
  elsewhere: boolean;
}) {
  const part = (value: number, label: string) => (
    <span className={value === 0 ? 'quiet' : undefined}>
      {value.toLocaleString()} {label}
    </span>
  );
  if (elsewhere)
    return (
      <span className="rows-sum" data-testid="history-rows">
        {part(uploaded, 'uploaded so far')}
      </span>
    );
  return (
    <span className="rows-sum" data-testid="history-rows">
      {part(rowsRead, 'read')} = {part(uploaded, 'uploaded')} + {part(rejected, 'rejected')} +{' '}
      {part(failed, 'failed')} + {part(skipped, 'skipped')}
      {pending !== undefined && <> + {part(pending, 'pending')}</>}
    </span>
  );
}

/**
 * Every run in the data folder (app and CLI alike), newest first, with its row accounting. It
 * follows live runs on its own; each row opens the run's view.
 */
export function HistoryScreen() {
  const api = useApi();
  const [message, setMessage] = useState<string>();
  const runs = useCall('runs:list', {});
  const liveHere = useCall('runs:live', {});
  const ids = (runs.data ?? []).map((run) => run.runId);
  // Facts are read again when a summary changes (a fix or retry adds sending time).
  const versions = (runs.data ?? []).map((run) => `${run.runId}@${run.updatedAt}`).join('|');
  // Every few seconds History looks at the runs folder again: a run the command line starts
  // appears on its own, and runs going but held by no session of this app (maybe running
  // elsewhere) have their journals' facts read again.
  const [nowMs, setNowMs] = useState(() => Date.now());
  const liveHereIds = new Set((liveHere.data ?? []).map((run) => run.runId));
  const maybeElsewhere = (runs.data ?? []).some(
    (run) => isLiveState(run.state) && !liveHereIds.has(run.runId),
  );
  const facts = useCall(
    'runs:facts',
    { runIds: ids },
    `${versions}#${maybeElsewhere ? nowMs : ''}`,
  );
  useRunsChanged(runs.reload);
  const removal = useRunRemoval(runs.reload);
  const factsOf = (runId: string) => facts.data?.find((entry) => entry.runId === runId);
  const { reload: reloadRuns } = runs;
  const { reload: reloadLive } = liveHere;
  useEffect(() => {
    const timer = setInterval(() => {
      reloadRuns();
      reloadLive();
      setNowMs(Date.now());
    }, ELSEWHERE_POLL_MS);
    return () => clearInterval(timer);
  }, [reloadRuns, reloadLive]);

  return (
    <Screen
      title="History"
      intro="Every run, from this app and from the sluice command line, with its row accounting. Open a run to see its charts; live runs update here on their own."
    >
      <ErrorText error={runs.error} />
      {removal.view}
      {message && (
        <p className="muted" role="status">
          {message}
        </p>
      )}
      {runs.data && runs.data.length === 0 && (
        <p className="muted">No runs yet: start one on the Upload screen.</p>
      )}
      {runs.data && runs.data.length > 0 && (
        // Six columns fit a 1024-wide window beside the sidebar: the five row counts read as one
        // sum in "Rows", the pace in one cell, and the actions wrap in their own cell, so every
        // run's actions are in sight without scrolling sideways.
        <div className="table-scroll">
          <table className="data compact runs-table" aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">Started · file</th>
                <th scope="col">List · org</th>
                <th scope="col">State</th>
                <th scope="col">Rows</th>
                <th scope="col">Pace</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((run) => {
                const fact = factsOf(run.runId);
                const live = isLiveState(run.state);
                const elsewhere = isRunningElsewhere(
                  run.state,
                  liveHereIds.has(run.runId),
                  fact,
                  nowMs,
                );
                // Time spent sending over all sessions: a retry or fix adds its own time.
                const activeMs = fact?.activeMs ?? run.elapsedMs;
                const uploaded = elsewhere
                  ? Math.max(run.uploaded, fact?.journalUploaded ?? 0)
                  : run.uploaded;
                const rate = contactsPerActiveSecond(uploaded, activeMs) ?? run.contactsPerSecond;
                const accounting = accountingOf(run, live ? undefined : run.invariant);
                const listName = run.contactListName ?? fact?.contactListName;
                return (
                  <tr key={run.runId}>
                    <td title={run.runId} className="stacked">
                      <a href={runHref(run.runId)}>
                        {new Date(fact?.createdAt ?? run.startedAt).toLocaleString()}
                      </a>
                      <span className="muted cell-file" title={fact?.csvFileName}>
                        {fact?.csvFileName ?? '—'}
                      </span>
                    </td>
                    <td title={run.contactListId} className="stacked">
                      <span>{listName ?? <code>{run.contactListId.slice(0, 8)}</code>}</span>
                      <span className="muted">{run.orgName}</span>
                    </td>
                    <td>
                      {elsewhere ? 'running' : run.state}
                      {elsewhere && (
                        <>
                          {' '}
                          <span
                            className="badge badge-elsewhere"
                            title="Started from the command line; pause or cancel it there"
                          >
                            running elsewhere
                          </span>
                        </>
                      )}
                    </td>
                    <td className="rows-cell">
                      <RowsSum
                        rowsRead={run.rowsRead}
                        uploaded={uploaded}
                        rejected={run.rejected}
                        failed={run.failed}
                        skipped={run.skipped}
                        pending={live ? accounting.pending : undefined}
                        elsewhere={elsewhere}
                      />
                      {elsewhere ? (
                        <span className="badge">in progress</span>
                      ) : accounting.mismatch ? (
                        <span className="badge badge-warn">accounting mismatch</span>
                      ) : live ? (
                        <span className="badge">adds up so far</span>
                      ) : (
                        <span className="badge badge-ok">✓ holds</span>
                      )}
                    </td>
                    <td className="stacked">
                      <span>
                        {rate.toLocaleString(undefined, {
                          minimumFractionDigits: 1,
                          maximumFractionDigits: 1,
                        })}{' '}
                        contacts/s
                      </span>
                      <span className="muted">
                        {formatDuration(activeMs)} ·{' '}
                        <span
                          className={run.throttled === 0 ? 'quiet' : undefined}
                          title="Rate-limit answers (HTTP 429) from Genesys Cloud"
                        >
                          {run.throttled.toLocaleString()} × 429
                        </span>
                      </span>
                    </td>
                    <td className="row-actions wrap">
                      <div className="history-actions">
                        <a href={runHref(run.runId)} aria-label={`Open run ${run.runId}`}>
                          Open
                        </a>
                        <button
                          type="button"
                          className="link-button"
                          onClick={() =>
                            void saveRunReport(api, run.runId).then(
                              (name) => setMessage(`Saved the report as ${name} (your downloads).`),
                              (failed: unknown) => setMessage(messageOf(failed)),
                            )
                          }
                        >
                          Report
                        </button>
                        {!elsewhere && (
                          <RunControls
                            runId={run.runId}
                            state={run.state}
                            strategy={run.strategy}
                            compact
                          />
                        )}
                        {/* A finished run, or a paused one no session here holds (the question
                            says what a paused run loses); never one that is going. */}
                        {!elsewhere &&
                          !liveHereIds.has(run.runId) &&
                          (!live || run.state === 'paused') && (
                            <button
                              type="button"
                              className="link-button"
                              aria-label={`Remove run ${run.runId} from history…`}
                              onClick={() =>
                                removal.ask({
                                  summary: run,
                                  ...(fact?.csvFileName ? { fileName: fact.csvFileName } : {}),
                                  ...(listName ? { listName } : {}),
                                  ...(fact?.createdAt ? { createdAt: fact.createdAt } : {}),
                                })
                              }
                            >
                              Remove…
                            </button>
                          )}
                        {run.failed + run.rejected + run.skipped > 0 && (
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => navigate('failures', { run: run.runId })}
                          >
                            Failures
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Screen>
  );
}
