import { formatRowNumber } from '../core/csv/index';

/** A file read's progress on stderr: one line, rewritten as the percent read changes. */
export interface ProgressPrinter {
  update: (progress: { bytesRead: number; totalBytes: number; rowsRead: number }) => void;
  /** Erases the line, if one was printed. */
  done: () => void;
}

/**
 * The line `sluice prepare` shows while it reads a file, "42% (1,234 rows)", after `label`
 * when one is given (`sluice upload`'s count: "Counting rows: 42% (…)"). For a TTY only.
 */
export function progressPrinter(label = ''): ProgressPrinter {
  let lastPercent = -1;
  return {
    update: ({ bytesRead, totalBytes, rowsRead }) => {
      const percent = totalBytes === 0 ? 100 : Math.floor((bytesRead / totalBytes) * 100);
      if (percent === lastPercent) return;
      lastPercent = percent;
      process.stderr.write(`\r${label}${percent}% (${formatRowNumber(rowsRead)} rows)`);
    },
    done: () => {
      if (lastPercent >= 0) process.stderr.write('\r\x1b[K');
    },
  };
}
