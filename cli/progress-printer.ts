import { CsvFileError } from '../core/csv/index';
import { ownCtrlC } from './own-ctrl-c';
import { countOf } from '../core/text/count';

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
      process.stderr.write(`\r${label}${percent}% (${countOf(rowsRead, 'row')})`);
    },
    done: () => {
      if (lastPercent >= 0) process.stderr.write('\r\x1b[K');
    },
  };
}

/** What a whole-file read gets from `cancellableRead`: the progress hook and the cancel. */
export interface ReadHooks {
  onProgress?: ProgressPrinter['update'];
  signal: AbortSignal;
}

/**
 * Runs a read of a whole file the way `sluice prepare` and `sluice upload`'s count do: the
 * progress line when `progress` is set (a TTY, not `--json`), and Ctrl-C cancelling the read
 * through its signal rather than killing the process mid-write (the only SIGINT listener
 * meanwhile: own-ctrl-c.ts says why). The reader's "cancelled" error is replaced by one whose
 * message, `cancelledMessage`, says what the cancel left undone.
 */
export async function cancellableRead<T>(
  options: { progress: boolean; label?: string; cancelledMessage: string },
  read: (hooks: ReadHooks) => Promise<T>,
): Promise<T> {
  const printer = options.progress ? progressPrinter(options.label) : undefined;
  const interrupted = new AbortController();
  const releaseCtrlC = ownCtrlC(() => interrupted.abort());
  try {
    return await read({
      ...(printer ? { onProgress: printer.update } : {}),
      signal: interrupted.signal,
    });
  } catch (error) {
    if (error instanceof CsvFileError && error.reason === 'cancelled') {
      throw new CsvFileError('cancelled', error.path, options.cancelledMessage);
    }
    throw error;
  } finally {
    releaseCtrlC();
    printer?.done();
  }
}
