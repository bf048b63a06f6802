import { useEffect, useRef, useState } from 'react';
import type { RowOutcomeFilter, SettledRowShape } from '../../../core/contract';
import { useApi, useCall } from '../api/context';
import { ActionOutcome } from '../components/action-outcome';
import { ErrorText, messageOf } from '../components/error-text';
import { PathField } from '../components/path-field';
import { writeWithConfirm } from '../components/confirm-overwrite';
import { useConfirm } from '../components/confirm-dialog';
import { Screen } from '../components/screen';
import { RowsTable } from '../features/runs/rows-table';
import { RowEditor } from '../features/runs/row-editor';
import { noFilter, RowFilters, type RowFilter } from '../features/runs/row-filters';
import { useSettledRows } from '../features/runs/use-settled-rows';
import { navigate, useRouteParam } from '../routing';
import { useRunsChanged } from '../features/run/use-runs-changed';
import { countOf, noun } from '../../../core/text/count';

/** How long typing in a filter pauses before the host is asked. */
const FILTER_PAUSE_MS = 200;

const outcomes: Array<{ id: RowOutcomeFilter; label: string }> = [
  { id: 'failed', label: 'Failed' },
  { id: 'rejected', label: 'Rejected' },
  { id: 'skipped', label: 'Skipped' },
];

/** Rows that did not upload: why, retry the failed ones, export any set for fixing in Excel. */
export function FailuresScreen() {
  const api = useApi();
  const confirm = useConfirm();
  const runs = useCall('runs:list', {});
  const withProblems = (runs.data ?? []).filter(
    (run) => run.failed + run.rejected + run.skipped > 0,
  );
  const requested = useRouteParam('run');
  const runId = requested ?? withProblems[0]?.runId;
  const run = runs.data?.find((candidate) => candidate.runId === runId);
  const [chosenOutcome, setOutcome] = useState<RowOutcomeFilter>();
  // Until the consultant picks a tab, show the first set that has rows.
  const outcome = chosenOutcome ?? outcomes.find((tab) => run && run[tab.id] > 0)?.id ?? 'failed';
  const [filter, setFilter] = useState<RowFilter>(noFilter);
  // The host filters; typing waits for a pause so each keystroke does not ask again.
  const [queried, setQueried] = useState<RowFilter>(noFilter);
  useEffect(() => {
    const timer = setTimeout(() => setQueried(filter), FILTER_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [filter]);
  const rows = useSettledRows(runId, outcome, queried);
  // The rows "choose every row" chose, and under which filter, to tick that box while they stay chosen.
  const [choseAll, setChoseAll] = useState<{ filter: RowFilter; rows: number[] }>();
  const ids = withProblems.map((candidate) => candidate.runId);
  const facts = useCall('runs:facts', { runIds: ids }, ids.join('|'));
  const runName = (candidate: (typeof withProblems)[number]) => {
    const fact = facts.data?.find((entry) => entry.runId === candidate.runId);
    const list = candidate.contactListName ?? fact?.contactListName ?? 'list';
    const when = new Date(fact?.createdAt ?? candidate.startedAt).toLocaleString();
    return `${list} · ${fact?.csvFileName ?? candidate.orgName} · ${when}`;
  };
  // A corrected row or a retry settles in the background: follow it when a session ends.
  useRunsChanged(() => {
    runs.reload();
    rows.reload();
  }, Number.POSITIVE_INFINITY);
  const [typedExportPath, setExportPath] = useState('');
  const exportPath = typedExportPath || (run ? `${run.runDir}/${outcome}-rows-export.csv` : '');
  const [message, setMessage] = useState<string>();
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  const [editing, setEditing] = useState<SettledRowShape>();
  const [editProblems, setEditProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const saveFix = async (data: Record<string, string>) => {
    if (!run || !editing) return;
    setSaving(true);
    setError(undefined);
    try {
      const result = await api.invoke('runs:fixRows', {
        runId: run.runId,
        rows: [{ row: editing.row, data }],
      });
      if (result.queued > 0) {
        setEditing(undefined);
        setMessage(`Row ${editing.row} passed the checks and is being sent again.`);
      } else {
        setEditProblems(result.problems.flatMap((problem) => problem.messages));
      }
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setSaving(false);
    }
  };
  const choose = (rowNumbers: number[], on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      for (const row of rowNumbers) {
        if (on) next.add(row);
        else next.delete(row);
      }
      return next;
    });
  const skipChosen = async () => {
    if (
      !run ||
      !(await confirm({
        title: `Skip ${countOf(chosen.size, 'row')}?`,
        detail:
          'They will not be sent by a retry and will count as skipped. Undo brings them back.',
        confirmLabel: 'Skip',
      }))
    )
      return;
    const runId = run.runId;
    void act(async () => {
      const result = await api.invoke('runs:skipRows', { runId, rows: [...chosen] });
      setChosen(new Set());
      runs.reload();
      rows.reload();
      // Undo gives back exactly these rows; the keyboard goes to it, since Skip is now disabled.
      if (result.rows.length > 0) setUndoSkip({ runId, rows: result.rows });
      return `Skipped ${countOf(result.skipped, 'row')}.`;
    });
  };
  /** Gives skipped rows their earlier outcome back (failed, or rejected): Undo and Unskip. */
  const unskip = (runId: string, rowNumbers: number[]) =>
    void act(async () => {
      const result = await api.invoke('runs:unskipRows', { runId, rows: rowNumbers });
      setChosen(new Set());
      runs.reload();
      rows.reload();
      const back = [
        result.failed > 0 ? `${countOf(result.failed, 'row')} to Failed` : '',
        result.rejected > 0 ? `${countOf(result.rejected, 'row')} to Rejected` : '',
      ].filter(Boolean);
      return back.length > 0
        ? `Returned ${back.join(' and ')}.`
        : 'Nothing returned: these rows were skipped by the run itself (a repeated contact id).';
    });
  const [undoSkip, setUndoSkip] = useState<{ runId: string; rows: number[] }>();
  const undoButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (undoSkip) undoButton.current?.focus();
  }, [undoSkip]);
  const [error, setError] = useState<string>();

  const act = async (work: () => Promise<string>) => {
    setError(undefined);
    setMessage(undefined);
    setUndoSkip(undefined);
    try {
      setMessage(await work());
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  // Retry and Export act on the rows the table shows: every row of the outcome, or with a filter
  // on, the rows that match it. Their labels and Retry's confirmation say which, with the count.
  const rowsText = (count: number, kind: string) =>
    `${count.toLocaleString()} ${kind} ${count === 1 ? 'row' : 'rows'}`;
  const filtered = rows.shown && rows.total < rows.outcomeTotal;
  const actsOn = (kind: string, all: number) =>
    filtered
      ? `the ${rowsText(rows.total, kind)} that ${rows.total === 1 ? 'matches' : 'match'} the filter`
      : `all ${rowsText(all, kind)}`;
  const retry = async () => {
    if (
      !run ||
      !(await confirm({
        title: `Send ${actsOn('failed', run.failed)} again?`,
        detail: `Run ${run.runId}. Each row keeps its contact id, so nothing is duplicated.`,
        confirmLabel: 'Send again',
      }))
    )
      return;
    // The rows the filter matched, as the host filtered them for the table.
    const only = filtered ? queried : undefined;
    void act(async () => {
      const numbers = only ? await rows.allRowNumbers() : undefined;
      // No row number must never mean every failed row.
      if (numbers && numbers.length === 0)
        return 'No failed row matches the filter: nothing was sent.';
      await api.invoke('runs:retryFailed', {
        runId: run.runId,
        ...(numbers && numbers.length > 0 ? { rows: numbers } : {}),
      });
      return 'Retry started: the rows leave this list as they upload.';
    });
  };

  return (
    <Screen
      title="Failures"
      intro="Rows that did not upload, and why. Failed rows (throttling, server or network trouble that outlasted the retry budget, or a cancelled run) can be sent again as they are; rejected rows need fixing: correct them here (they are checked again and sent), or export them, fix them in Excel and upload the fixed file (same ids, so nothing is duplicated). Skip the rows you do not want; Undo, or Unskip on the Skipped tab, brings them back."
    >
      <ErrorText error={runs.error} />
      {runs.data && withProblems.length === 0 && !requested && (
        <p className="muted">No run has rows that failed, were rejected or were skipped.</p>
      )}
      {(withProblems.length > 0 || requested) && (
        <div className="options-grid">
          <label>
            Run
            <select
              aria-label="Run"
              value={runId ?? ''}
              onChange={(event) => navigate('failures', { run: event.target.value })}
            >
              {withProblems.map((candidate) => (
                <option key={candidate.runId} value={candidate.runId}>
                  {runName(candidate)} — {candidate.failed.toLocaleString()} failed,{' '}
                  {candidate.rejected.toLocaleString()} rejected
                </option>
              ))}
              {requested && !withProblems.some((candidate) => candidate.runId === requested) && (
                <option value={requested}>{requested}</option>
              )}
            </select>
          </label>
        </div>
      )}
      {run && (
        <>
          <div role="tablist" aria-label="Outcome" className="tabs">
            {outcomes.map((tab) => (
              <button
                key={tab.id}
                type="button"
                role="tab"
                aria-selected={outcome === tab.id}
                className={outcome === tab.id ? 'primary' : undefined}
                onClick={() => {
                  setOutcome(tab.id);
                  setChosen(new Set());
                  setFilter(noFilter);
                  setQueried(noFilter);
                }}
              >
                {tab.label} ({run[tab.id].toLocaleString()})
              </button>
            ))}
          </div>
          <ErrorText error={rows.error} />
          <RowFilters facets={rows.facets} filter={filter} onChange={setFilter} />
          <p className="muted" role="status" aria-live="polite">
            {!rows.shown
              ? `Loading ${outcome} rows…`
              : `${rows.outcomeTotal.toLocaleString()} ${outcome} rows${
                  rows.total < rows.outcomeTotal
                    ? `, ${rows.total.toLocaleString()} match the filter`
                    : ''
                }.`}
          </p>
          <RowsTable
            count={rows.total}
            rowAt={rows.rowAt}
            onRange={rows.showRange}
            {...{
              selected: chosen,
              onSelect: choose,
              allChosen:
                choseAll !== undefined &&
                choseAll.filter === queried &&
                choseAll.rows.every((row) => chosen.has(row)),
              onSelectAll: (on: boolean) => {
                // The box follows the click at once; the row numbers come from the host.
                setChoseAll(on ? { filter: queried, rows: [] } : undefined);
                void rows.allRowNumbers().then(
                  (numbers) => {
                    choose(numbers, on);
                    if (on) setChoseAll({ filter: queried, rows: numbers });
                  },
                  (caught: unknown) => {
                    setChoseAll(undefined);
                    setError(messageOf(caught));
                  },
                );
              },
            }}
            {...(outcome === 'skipped'
              ? {}
              : {
                  onEdit: (row: SettledRowShape) => {
                    setEditProblems([]);
                    setEditing(row);
                  },
                })}
          />
          {editing && (
            <RowEditor
              key={editing.row}
              row={editing}
              busy={saving}
              problems={editProblems}
              onSave={(data) => void saveFix(data)}
              onCancel={() => {
                // The keyboard goes back to the row's Correct… button, not to the page's top.
                const row = editing.row;
                setEditing(undefined);
                requestAnimationFrame(() =>
                  document
                    .querySelector<HTMLButtonElement>(`button[aria-label="Correct row ${row}"]`)
                    ?.focus(),
                );
              }}
            />
          )}
          <div className="actions">
            {outcome !== 'skipped' && (
              <button type="button" disabled={chosen.size === 0} onClick={() => void skipChosen()}>
                Skip{' '}
                {chosen.size > 0
                  ? `${chosen.size.toLocaleString('en-US')} chosen ${noun(chosen.size, 'row')}`
                  : 'chosen rows'}
                …
              </button>
            )}
            {outcome === 'skipped' && (
              <button
                type="button"
                disabled={chosen.size === 0}
                onClick={() => unskip(run.runId, [...chosen])}
              >
                Unskip{' '}
                {chosen.size > 0
                  ? `${chosen.size.toLocaleString('en-US')} chosen ${noun(chosen.size, 'row')}`
                  : 'chosen rows'}
              </button>
            )}
            {outcome === 'failed' && run.failed > 0 && (
              <button
                type="button"
                className="primary"
                disabled={filtered && rows.total === 0}
                onClick={() => void retry()}
              >
                Retry {actsOn('failed', run.failed)}
              </button>
            )}
          </div>
          <PathField
            label={`Export the ${outcome} rows (.csv, or .xlsx for a workbook)`}
            purpose="save-csv"
            value={exportPath}
            onChange={setExportPath}
          />
          <button
            type="button"
            disabled={!exportPath.trim()}
            onClick={() =>
              void act(async () => {
                const written = await writeWithConfirm(
                  (overwrite) =>
                    api.invoke('runs:exportRows', {
                      runId: run.runId,
                      outcome,
                      path: exportPath.trim(),
                      overwrite,
                      ...(filtered ? { filter: queried } : {}),
                    }),
                  confirm,
                );
                if (!written) return 'Nothing written.';
                return `Wrote ${countOf(written.rows, 'row')} to ${written.path}.`;
              })
            }
          >
            Export {actsOn(outcome, run[outcome])}
          </button>
          <ActionOutcome message={message} error={error} />
          {undoSkip && undoSkip.runId === run.runId && (
            <button
              ref={undoButton}
              type="button"
              onClick={() => unskip(undoSkip.runId, undoSkip.rows)}
            >
              Undo skip
            </button>
          )}
        </>
      )}
    </Screen>
  );
}
