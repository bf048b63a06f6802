import { useState } from 'react';
import { useApi, useCall } from '../api/context';
import { ErrorText, messageOf } from '../components/error-text';
import { Screen } from '../components/screen';
import { navigate } from '../routing';

/** Every run in the data folder (app and CLI alike), newest first, with its row accounting. */
export function HistoryScreen() {
  const api = useApi();
  const runs = useCall('runs:list', {});
  const [error, setError] = useState<string>();

  const resume = async (runId: string) => {
    setError(undefined);
    try {
      await api.invoke('runs:resume', { runId });
      runs.reload();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <Screen
      title="History"
      intro="Every run, from this app and from the sluice command line, with its row accounting."
    >
      <div className="actions">
        <button type="button" onClick={runs.reload}>
          Refresh
        </button>
      </div>
      <ErrorText error={runs.error ?? error} />
      {runs.data && runs.data.length === 0 && (
        <p className="muted">No runs yet: start one on the Upload screen.</p>
      )}
      {runs.data && runs.data.length > 0 && (
        <div className="table-scroll">
          <table className="data compact" aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Org</th>
                <th scope="col">List</th>
                <th scope="col">State</th>
                <th scope="col">Read</th>
                <th scope="col">Uploaded</th>
                <th scope="col">Rejected</th>
                <th scope="col">Failed</th>
                <th scope="col">429s</th>
                <th scope="col">Contacts/s</th>
                <th scope="col">Accounting</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((run) => (
                <tr key={run.runId}>
                  <td title={run.runId}>{new Date(run.startedAt).toLocaleString()}</td>
                  <td>{run.orgName}</td>
                  <td title={run.contactListId}>
                    {run.contactListName ?? <code>{run.contactListId.slice(0, 8)}</code>}
                  </td>
                  <td>{run.state}</td>
                  <td>{run.rowsRead.toLocaleString()}</td>
                  <td>{run.uploaded.toLocaleString()}</td>
                  <td>{run.rejected.toLocaleString()}</td>
                  <td>{run.failed.toLocaleString()}</td>
                  <td>{run.throttled.toLocaleString()}</td>
                  <td>{run.contactsPerSecond.toFixed(1)}</td>
                  <td>
                    {run.invariant.holds ? (
                      <span className="badge badge-ok">✓ holds</span>
                    ) : (
                      <span className="badge badge-warn">mismatch</span>
                    )}
                  </td>
                  <td>
                    {run.state === 'paused' && (
                      <button type="button" onClick={() => void resume(run.runId)}>
                        Resume
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
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Screen>
  );
}
