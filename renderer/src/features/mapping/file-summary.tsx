import type { CsvInspection } from '../../../../core/contract';
import { countOf } from '../../../../core/text/count';

const delimiterNames: Record<string, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
};

/** What Sluice detected about a CSV file: size, encoding, delimiter, headers and their problems. */
export function FileSummary({ inspection }: { inspection: CsvInspection }) {
  return (
    <div className="file-summary" data-testid="file-summary">
      <p>
        <strong>{countOf(inspection.headers.length, 'column')}</strong> ·{' '}
        {formatBytes(inspection.sizeBytes)} ·{' '}
        {inspection.sheet !== undefined ? (
          // A workbook has no text encoding or delimiter to report: say which sheet was read.
          (inspection.sheets?.length ?? 1) > 1 ? (
            <>
              sheet “{inspection.sheet}” of {inspection.sheets!.length} sheets in the workbook
            </>
          ) : (
            <>the workbook’s only sheet, “{inspection.sheet}”</>
          )
        ) : (
          <>
            {inspection.encoding} · {delimiterNames[inspection.delimiter] ?? inspection.delimiter}
            -separated
          </>
        )}
      </p>
      {inspection.headerProblems.length > 0 && (
        <ul className="warnings">
          {inspection.headerProblems.map((problem) => (
            <li key={problem.columnIndex}>{problem.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
