import type { BatchEvent } from '../../../../core/contract';
import { countOf } from '../../../../core/text/count';

const outcomeText: Record<BatchEvent['outcome'], string> = {
  uploaded: 'uploaded',
  retrying: 'will retry',
  split: 'split to find bad rows',
  rejected: 'rejected',
  failed: 'failed',
};

/** The latest batches that did not simply upload, newest first, with what the API said. */
export function IncidentList({ incidents }: { incidents: BatchEvent[] }) {
  return (
    <section aria-label="Recent batch events" className="incidents">
      <h3>Recent batch events</h3>
      <ul>
        {incidents.map((incident, index) => (
          <li key={`${incident.batchId}-${incident.attempt}-${index}`}>
            <strong>{countOf(incident.rows, 'row')}</strong> {outcomeText[incident.outcome]}
            {incident.attempt > 1 && ` (attempt ${incident.attempt})`}
            {incident.detail && (
              <>
                {' '}
                — {incident.detail.status > 0 ? `HTTP ${incident.detail.status}: ` : ''}
                {incident.detail.reason}
                {incident.detail.correlationId && (
                  <span className="muted"> · {incident.detail.correlationId}</span>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
