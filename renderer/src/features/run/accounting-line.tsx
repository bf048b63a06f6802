import type { LiveAccounting } from './accounting';
import { countOf } from '../../../../core/text/count';

/** rows read = uploaded + rejected + failed + skipped (+ pending while the run lives), with a verdict. */
export function AccountingLine({
  accounting,
  live,
  paused = false,
}: {
  accounting: LiveAccounting;
  live: boolean;
  /** A paused run's pending rows are not on their way: they wait for Resume. */
  paused?: boolean;
}) {
  const n = (value: number) => value.toLocaleString();
  return (
    <p data-testid="run-accounting">
      {countOf(accounting.rowsRead, 'row')} read = {n(accounting.uploaded)} uploaded +{' '}
      {n(accounting.rejected)} rejected + {n(accounting.failed)} failed
      {/* "Upload the rest": rows a cancel or stop left are failed until this session sends them */}
      {live && accounting.notSent > 0 && <> ({n(accounting.notSent)} to send again)</>} +{' '}
      {n(accounting.skipped)} skipped
      {live && <> + {n(accounting.pending)} pending</>}{' '}
      {accounting.mismatch ? (
        <span className="badge badge-warn">accounting mismatch</span>
      ) : live ? (
        <span className="badge">
          adds up; {n(accounting.pending)} {paused ? 'waiting for Resume' : 'on their way'}
        </span>
      ) : (
        <span className="badge badge-ok">every row accounted for</span>
      )}
    </p>
  );
}
