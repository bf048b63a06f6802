import { useState } from 'react';
import { useApi } from '../api/context';
import { ErrorText, messageOf } from '../components/error-text';
import { PathField } from '../components/path-field';
import { Screen } from '../components/screen';
import { MappingStep, ReadFileButton } from '../features/mapping/mapping-step';
import { useMappingSession } from '../features/mapping/use-mapping-session';
import { OrgListPicker, type UploadTarget } from '../features/upload/org-list-picker';
import { RunPanel } from '../features/upload/run-panel';
import { defaultRunOptions, RunOptionsForm, type RunOptions } from '../features/upload/run-options';

/** Map a CSV onto a live contact list and run the throttled, loss-free uploader. */
export function UploadScreen() {
  const api = useApi();
  const session = useMappingSession();
  const [target, setTarget] = useState<UploadTarget>();
  const [options, setOptions] = useState<RunOptions>(defaultRunOptions);
  const [run, setRun] = useState<{ runId: string; strategy: RunOptions['strategy'] }>();
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);

  const start = async () => {
    if (!target || !session.mapping || !session.inspection) return;
    setError(undefined);
    setStarting(true);
    try {
      const started = await api.invoke('runs:start', {
        orgId: target.orgId,
        listId: target.listId,
        csvPath: session.inspection.path,
        mapping: session.mapping,
        ...options,
      });
      setRun({ runId: started.runId, strategy: options.strategy });
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setStarting(false);
    }
  };

  return (
    <Screen
      title="Upload"
      intro="Sluice paces requests just below the org's rate limit, adapts when Genesys answers 429, and accounts for every row: uploaded, rejected (with the reason), failed (retry later) or skipped."
    >
      <section className="step" aria-labelledby="upload-target">
        <h2 id="upload-target">1. Where to and from what</h2>
        <OrgListPicker onChange={setTarget} />
        <PathField
          label="CSV file"
          offerSample
          purpose="open-csv"
          value={session.csvPath}
          onChange={session.setCsvPath}
          placeholder="/path/to/export.csv"
        />
        <ReadFileButton
          session={session}
          disabled={!target || !session.csvPath.trim()}
          onRead={() =>
            target &&
            void session.load({ kind: 'list', orgId: target.orgId, listId: target.listId })
          }
        />
      </section>

      <MappingStep session={session} id="upload-mapping" />

      {session.mapping && target && (
        <section className="step" aria-labelledby="upload-run">
          <h2 id="upload-run">3. Upload to “{target.listName}”</h2>
          <RunOptionsForm value={options} onChange={setOptions} />
          {options.strategy === 'import' && (
            <p className="notice">
              Bulk import sends the whole file in one upload: fewer API calls for very large loads,
              but Genesys returns no per-row errors or contact ids, so rejected rows cannot be
              listed or retried one by one.
            </p>
          )}
          <button
            type="button"
            className="primary"
            disabled={starting}
            onClick={() => void start()}
          >
            {starting ? 'Starting…' : 'Start upload'}
          </button>
          <ErrorText error={error} />
        </section>
      )}

      {run && <RunPanel key={run.runId} runId={run.runId} canPause={run.strategy === 'contacts'} />}
    </Screen>
  );
}
