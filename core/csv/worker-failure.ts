import { extname } from 'node:path';
import { CsvFileError } from './errors';

/** Node's code on the error of a worker thread ended for exceeding its resourceLimits. */
const OUT_OF_MEMORY = 'ERR_WORKER_OUT_OF_MEMORY';

/** How a prepare worker ended without answering: its 'error' event, or only its exit code. */
export type WorkerDeath = { error: Error } | { exitCode: number };

/** Files the parent could not remove after the worker died. */
export type LeftOver = { path: string; code: string }[];

/**
 * What the worker was run for: preparing the consultant's clean and rejects files, or checking
 * a file before an upload (csv:check), whose outputs are temporary files the caller removes.
 * The messages name the action the consultant took, and only a preparation talks about outputs.
 */
export type WorkerTask = 'prepare' | 'check';

/**
 * The CsvFileError for a prepare worker that died part way (the UI and the CLI branch on its
 * reason and show its message): 'too-large' when the thread ran out of its capped heap, with
 * what to do about the file; 'unreadable' for any other crash or exit, saying the preparation
 * (or check) did not finish. A preparation's message says whether the outputs it wrote were
 * removed; a check's says nothing of outputs (it writes only temporary files).
 */
export function workerDeathError(
  csvPath: string,
  death: WorkerDeath,
  heapMb: number | undefined,
  leftOver: LeftOver,
  task: WorkerTask = 'prepare',
): CsvFileError {
  const outputs = outputsSentence(leftOver, task);
  if ('error' in death && (death.error as NodeJS.ErrnoException).code === OUT_OF_MEMORY) {
    const workbook = /^\.xls[xm]$/i.test(extname(csvPath));
    const memory = heapMb === undefined ? 'the memory' : `the ${heapMb} MB of memory`;
    const verb = task === 'check' ? 'check' : 'prepare';
    const advice = workbook
      ? `Save the sheet as CSV (in Excel: File > Save As > "CSV UTF-8") and ${verb} the CSV file, or split it into smaller files.`
      : `Split it into smaller files and ${verb} each one.`;
    const action = task === 'check' ? 'a check' : 'a preparation';
    return new CsvFileError(
      'too-large',
      csvPath,
      `${csvPath} needs more than ${memory} Sluice gives ${action}: it stopped part way. ${outputs}${advice}`,
    );
  }
  const thread = task === 'check' ? 'the checking thread' : 'the preparation thread';
  const cause =
    'error' in death
      ? `${thread} crashed: ${death.error.message}`
      : `${thread} stopped with exit code ${death.exitCode}`;
  return new CsvFileError(
    'unreadable',
    csvPath,
    `${doing(task)} ${csvPath} did not finish (${cause}). ${outputs}Try again; if it stops the same way again, report it.`,
  );
}

/**
 * The CsvFileError for a cancel the worker did not acknowledge in time (stuck in a long
 * synchronous step), after the parent stopped the thread and removed the outputs it wrote:
 * reason 'cancelled', like a cancel the worker answered.
 */
export function unansweredCancelError(
  csvPath: string,
  leftOver: LeftOver,
  task: WorkerTask = 'prepare',
): CsvFileError {
  const outputs = outputsSentence(leftOver, task).trimEnd();
  return new CsvFileError(
    'cancelled',
    csvPath,
    `${doing(task)} ${csvPath} was cancelled.${outputs ? ` ${outputs}` : ''}`,
  );
}

/** An answered error, told which half-written files the parent could not remove. */
export function withLeftOver(error: Error, leftOver: LeftOver): Error {
  if (leftOver.length > 0) error.message = `${error.message}. ${deleteAdvice(leftOver)}`;
  return error;
}

function doing(task: WorkerTask): string {
  return task === 'check' ? 'Checking' : 'Preparing';
}

/** The sentence (with a trailing space) on what became of the outputs; none for a check. */
function outputsSentence(leftOver: LeftOver, task: WorkerTask): string {
  if (task === 'check') return '';
  return `${leftOver.length === 0 ? 'No clean or rejects file was written.' : deleteAdvice(leftOver)} `;
}

function deleteAdvice(leftOver: LeftOver): string {
  const files = leftOver.map(({ path, code }) => `${path} (Sluice could not remove it: ${code})`);
  return `Delete ${files.join(' and ')}: it is not a finished result.`;
}
