import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/context';
import { ErrorText } from '../components/error-text';
import { Screen } from '../components/screen';
import { useBusyAction } from '../components/use-busy-action';
import { CsvFileField, MappingStep, ReadFileButton } from '../features/mapping/mapping-step';
import { OrgListPicker } from '../features/orgs/org-list-picker';
import { RunView } from '../features/run/run-view';
import { isLiveState, stateOf } from '../features/run/runs-store';
import { useRun, useRunsStore } from '../features/run/runs-context';
import { ConfirmUpload } from '../features/upload/confirm-upload';
import { RunOptionsForm } from '../features/upload/run-options';
import { useUploadDraft } from '../features/upload/upload-draft';
import { WholeFileCheck } from '../features/upload/whole-file-check';

/**
 * Map a CSV onto a live contact list, check the whole file, confirm, and run the throttled,
 * loss-free uploader. The run then has its own view (below, and at its own address).
 */
export function UploadScreen() {
  const api = useApi();
  const store = useRunsStore();
  const draft = useUploadDraft();
  const { session, target, options } = draft;
  const run = useRun(draft.runId);
  const runState = stateOf(run);
  const runGoing = draft.runId !== undefined && (runState === undefined || isLiveState(runState));
  const [confirming, setConfirming] = useState(false);
  // "Not now" (or Escape) gives the keyboard back to Start upload…: it stays, inert, behind the
  // modal question, which hands the focus back to it when it closes.
  const starting = useBusyAction();
  const runSection = useRef<HTMLDivElement>(null);
  // Set on Start: once the run's view renders, it is scrolled into sight.
  const scrollPending = useRef<string | undefined>(undefined);

  const checkKey = JSON.stringify([
    session.inspection?.path,
    session.sheet,
    session.mapping,
    target?.listId,
  ]);
  const check = draft.check?.key === checkKey ? draft.check.result : undefined;

  useEffect(() => {
    if (scrollPending.current && scrollPending.current === draft.runId) {
      runSection.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
      scrollPending.current = undefined;
    }
  }, [draft.runId]);

  const start = async () => {
    if (!target || !session.mapping || !session.inspection || !check) return;
    const { mapping, inspection } = session;
    await starting.run(async () => {
      const started = await api.invoke('runs:start', {
        orgId: target.orgId,
        listId: target.listId,
        csvPath: inspection.path,
        ...(session.sheet ? { sheet: session.sheet } : {}),
        mapping,
        ...options,
      });
      store.describe(started.runId, { orgName: target.orgName, contactListName: target.listName });
      draft.setRunId(started.runId);
      setConfirming(false);
      scrollPending.current = started.runId;
    });
  };

  return (
    <Screen
      title="Upload"
      intro="Sluice checks the whole file first, asks before writing, then paces requests just below the org's rate limit, adapts when Genesys answers 429, and accounts for every row: uploaded, rejected (with the reason), failed (retry later) or skipped."
    >
      <section className="step" aria-labelledby="upload-target">
        <h2 id="upload-target">1. Where to and from what</h2>
        <OrgListPicker
          onChange={draft.setTarget}
          {...(draft.initialTarget ? { initial: draft.initialTarget } : {})}
        />
        <CsvFileField session={session} />
        <ReadFileButton
          session={session}
          disabled={!target || !session.csvPath.trim()}
          onRead={draft.read}
        />
        {draft.restoreProblem && (
          <p className="notice" role="status" data-testid="restore-problem">
            {draft.restoreProblem}
          </p>
        )}
      </section>

      <MappingStep session={session} id="upload-mapping" />

      {session.mapping && target && session.inspection && (
        <section className="step" aria-labelledby="upload-run">
          <h2 id="upload-run">3. Check, confirm and upload to “{target.listName}”</h2>
          <RunOptionsForm value={options} onChange={draft.setOptions} />
          {options.strategy === 'import' && (
            <p className="notice">
              Bulk import sends the whole file in one upload: fewer API calls for very large loads,
              but Genesys returns no per-row errors or contact ids, so rejected rows cannot be
              listed or retried one by one.
            </p>
          )}
          <WholeFileCheck
            job={draft.checkJob}
            result={check}
            run={(jobId) =>
              api.invoke('csv:check', {
                jobId,
                path: session.inspection!.path,
                ...(session.sheet ? { sheet: session.sheet } : {}),
                source: { kind: 'list', orgId: target.orgId, listId: target.listId },
                mapping: session.mapping!,
                maxErrorRows: 500,
              })
            }
            onChecked={(result) => draft.setCheck({ key: checkKey, result })}
          />
          {runGoing ? (
            <p>
              <span className="muted">
                This upload is running below; its progress is also in the sidebar.
              </span>{' '}
              <button type="button" onClick={draft.reset}>
                Start another upload
              </button>
            </p>
          ) : draft.runId ? (
            <button type="button" className="primary" onClick={draft.reset}>
              New upload
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={!check || check.clean === 0}
              title={check ? undefined : 'Check the whole file first'}
              onClick={() => setConfirming(true)}
            >
              Start upload…
            </button>
          )}
          {confirming && check && !draft.runId && (
            <ConfirmUpload
              orgName={target.orgName}
              target={target}
              check={check}
              options={options}
              busy={starting.busy}
              onConfirm={() => void start()}
              onCancel={() => setConfirming(false)}
            />
          )}
          <ErrorText error={starting.error} />
        </section>
      )}

      {draft.runId && (
        <div ref={runSection}>
          <RunView key={draft.runId} runId={draft.runId} />
          {!runGoing && !session.mapping && (
            <button type="button" className="primary" onClick={draft.reset}>
              New upload
            </button>
          )}
        </div>
      )}
    </Screen>
  );
}
