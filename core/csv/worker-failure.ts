import { extname } from 'node:path';
import { CsvFileError } from './errors';

/** Node's code on the error of a worker thread ended for exceeding its resourceLimits. */
const OUT_OF_MEMORY = 'ERR_WORKER_OUT_OF_MEMORY';

/** How a prepare worker ended without answering: its 'error' event, or only its exit code. */
export type WorkerDeath = { error: Error } | { exitCode: number };

/** Files the parent could not remove after the worker died. */
export type LeftOver = { path: string; code: string }[];

/**
 * The CsvFileError for a prepare worker that died part way (the UI and the CLI branch on its
 * reason and show its message): 'too-large' when the thread ran out of its capped heap, with
 * what to do about the file; 'unreadable' for any other crash or exit, saying the preparation
 * did not finish. Either way the message says whether the outputs it wrote were removed.
 */
export function workerDeathError(
  csvPath: string,
  death: WorkerDeath,
  heapMb: number | undefined,
  leftOver: LeftOver,
): CsvFileError {
  const outputs =
    leftOver.length === 0 ? 'No clean or rejects file was written.' : deleteAdvice(leftOver);
  if ('error' in death && (death.error as NodeJS.ErrnoException).code === OUT_OF_MEMORY) {
    const workbook = /^\.xls[xm]$/i.test(extname(csvPath));
    const memory = heapMb === undefined ? 'the memory' : `the ${heapMb} MB of memory`;
    const advice = workbook
      ? 'Save the sheet as CSV (in Excel: File > Save As > "CSV UTF-8") and prepare the CSV file, or split it into smaller files.'
      : 'Split it into smaller files and prepare each one.';
    return new CsvFileError(
      'too-large',
      csvPath,
      `${csvPath} needs more than ${memory} Sluice gives a preparation: it stopped part way. ${outputs} ${advice}`,
    );
  }
  const cause =
    'error' in death
      ? `the preparation thread crashed: ${death.error.message}`
      : `the preparation thread stopped with exit code ${death.exitCode}`;
  return new CsvFileError(
    'unreadable',
    csvPath,
    `Preparing ${csvPath} did not finish (${cause}). ${outputs} Try again; if it stops the same way again, report it.`,
  );
}

/** An answered error, told which half-written files the parent could not remove. */
export function withLeftOver(error: Error, leftOver: LeftOver): Error {
  if (leftOver.length > 0) error.message = `${error.message}. ${deleteAdvice(leftOver)}`;
  return error;
}

function deleteAdvice(leftOver: LeftOver): string {
  const files = leftOver.map(({ path, code }) => `${path} (Sluice could not remove it: ${code})`);
  return `Delete ${files.join(' and ')}: it is not a finished result.`;
}
