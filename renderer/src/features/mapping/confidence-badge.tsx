import type { ColumnMatchShape } from '../../../../core/contract';

/** How sure auto-match is about one pair, as a consultant reads it. */
export function ConfidenceBadge({ match }: { match: ColumnMatchShape | undefined }) {
  if (!match || !match.csvHeader) return <span className="badge">no match</span>;
  const percent = Math.round(match.confidence * 100);
  return (
    <span
      className={`badge ${match.autoMap ? 'badge-ok' : 'badge-warn'}`}
      title={
        match.autoMap
          ? `Matched by ${match.method}`
          : `Only a suggestion (${match.method}): check it before using it`
      }
    >
      {percent}% {match.method}
    </span>
  );
}
