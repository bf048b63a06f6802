import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useCall } from '../../api/context';
import { ProgressBar } from '../../components/progress-bar';
import { accountingFromEntry } from './accounting';
import { AccountingLine } from './accounting-line';
import { IncidentList } from './incident-list';
import { MetricsCards } from './metrics-cards';
import { RunControls } from './run-controls';
import { etaMs, formatDuration } from './run-progress';
import { ReconciliationExport } from './reconciliation-export';
import { RunSummaryCard } from './run-summary-card';
import { isLiveState, stateOf } from './runs-store';
import { useRun } from './runs-context';
import { explainThrottle } from './why-sentence';
import { countOf } from '../../../../core/text/count';

// The charts (uPlot) load as a chunk of their own, when a run is first shown.
const RunCharts = lazy(() =>
  import('./run-charts').then((module) => ({ default: module.RunCharts })),
);

/**
 * One run, live or past: where it goes, its accounting, progress against the file, the sentence
 * that says what the throttle does, the charts, and Pause / Resume / Cancel. It reads the app's
 * runs store, so leaving the screen or reloading the window loses nothing.
 */
export function RunView({ runId, headingLevel = 2 }: { runId: string; headingLevel?: 1 | 2 }) {
  const entry = useRun(runId);
  const facts = useCall('runs:facts', { runIds: [runId] }, runId).data?.[0];
  const state = stateOf(entry);
  const live = isLiveState(state);
  const summaryIsCurrent =
    entry?.summary !== undefined && (entry.summarySeq ?? 0) >= (entry.latestSeq ?? 0);
  const accounting = state
    ? accountingFromEntry(state, entry?.latest, entry?.summary, summaryIsCurrent)
    : undefined;
  const points = entry?.points ?? [];
  const settled = accounting ? accounting.rowsRead - accounting.pending : 0;
  // The engine's count (the check's, or every row read); before a session reports one, run.json's.
  const totalRows = entry?.latest?.totalRows ?? facts?.fileRows;
  const remaining = state === 'running' ? etaMs(points, totalRows) : undefined;
  const why = explainThrottle(state, points);
  const listName =
    entry?.contactListName ?? facts?.contactListName ?? entry?.summary?.contactListId;
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  // As a screen's heading it takes the id the app focuses on navigation.
  const headingId = headingLevel === 1 ? 'screen-title' : `run-title-${runId}`;
  // Cancel run… from the keyboard removes every control: the focus goes to the summary that
  // says what happened (once it shows), not to the top of the page.
  const summaryBox = useRef<HTMLDivElement>(null);
  const [focusSummary, setFocusSummary] = useState(false);
  const onControlsGone = useCallback(() => setFocusSummary(true), []);
  const summaryShown = entry?.summary !== undefined && summaryIsCurrent && !entry.elsewhere;
  useEffect(() => {
    if (!focusSummary || !summaryShown || !summaryBox.current) return;
    setFocusSummary(false);
    const active = document.activeElement;
    if (!active || active === document.body) summaryBox.current.focus();
  }, [focusSummary, summaryShown]);

  return (
    <section className="run-view step" aria-labelledby={headingId} data-testid="run-view">
      <Heading id={headingId} tabIndex={-1}>
        {listName ? `“${listName}”` : 'Run'}
        {entry?.orgName && <> on {entry.orgName}</>} ·{' '}
        <span data-testid="run-state">{state ?? 'loading…'}</span>
      </Heading>
      <p className="muted">
        Run <code>{runId}</code>
        {facts?.csvFileName && <> · file {facts.csvFileName}</>}
        {facts?.createdAt && <> · started {new Date(facts.createdAt).toLocaleString()}</>}
      </p>
      {entry?.elsewhere ? (
        <p className="notice" data-testid="run-elsewhere">
          <span className="badge badge-elsewhere">running elsewhere</span> Another Sluice (the
          command line) is running this upload: {countOf(entry.elsewhere.uploaded, 'row')} uploaded
          so far. Pause or cancel it where it runs; this app cannot stop another process.
        </p>
      ) : (
        <RunControls
          runId={runId}
          state={state}
          strategy={entry?.summary?.strategy}
          onGone={onControlsGone}
        />
      )}
      {accounting && !summaryIsCurrent && !entry?.elsewhere && (
        <AccountingLine accounting={accounting} live={live} />
      )}
      {accounting && !entry?.elsewhere && (live || totalRows !== undefined) && (
        <ProgressBar
          label="Rows settled"
          value={settled}
          max={Math.max(totalRows ?? accounting.rowsRead, 1)}
          detail={`${settled.toLocaleString()} of ${countOf(totalRows ?? accounting.rowsRead, 'row')} ${
            totalRows !== undefined ? 'in the file' : 'read so far'
          }${remaining !== undefined ? ` · about ${formatDuration(remaining)} left` : ''}`}
        />
      )}
      {/* A session that ended leads with its accounting and where to go next. */}
      {entry?.summary && summaryShown && (
        <div ref={summaryBox} tabIndex={-1} data-testid="run-summary-box">
          <RunSummaryCard summary={entry.summary} fileRows={totalRows} listName={listName} />
        </div>
      )}
      {entry?.summary && summaryIsCurrent && !live && !entry.elsewhere && (
        <ReconciliationExport runId={runId} />
      )}
      {why && (
        <p className="why" data-testid="run-why" role="status">
          {why}
        </p>
      )}
      {points.length > 0 && (
        <Suspense fallback={<p className="muted">Loading the charts…</p>}>
          <RunCharts points={points} batchSize={facts?.batchSize} />
        </Suspense>
      )}
      {entry?.latest && (
        <MetricsCards
          metrics={entry.latest}
          {...(remaining !== undefined ? { etaMs: remaining } : {})}
        />
      )}
      {entry && entry.incidents.length > 0 && (
        <IncidentList incidents={entry.incidents.slice(0, 8)} />
      )}
    </section>
  );
}
