import { RunView } from '../features/run/run-view';
import { useRoutePath } from '../routing';

/** `#/runs/<id>`: one run's own place, live or past, from the app or the command line. */
export function RunScreen() {
  const runId = useRoutePath();
  if (!runId) {
    return (
      <section className="screen">
        <h1 id="screen-title" tabIndex={-1}>
          Run
        </h1>
        <p className="muted">
          No run chosen: open one from <a href="#/history">History</a>.
        </p>
      </section>
    );
  }
  return (
    <section className="screen run-screen">
      <RunView key={runId} runId={runId} headingLevel={1} />
    </section>
  );
}
