import type { RunState, RunSummary } from '../../contract/runs';
import type { ContactListSchema, Mapping } from '../../csv';
import type { TokenSource } from '../../genesys/token-source';
import type { OrgLimiter } from '../throttle/org-limiter';
import type { CsvRowStream } from './csv-rows';
import type { FileRows } from './file-rows';
import type { RunMeta } from './run-meta';
import type { RunEvent } from './run-options';

// The shapes shared by the run registry, the session opener and each strategy's session
// builder, in a file of their own so none of them imports another's module for a type.

/**
 * What the app and the CLI drive, whichever strategy the run uses: the contacts strategy
 * (`UploadRun`, with pause and resume) or bulk import (`ImportRun`, no pause).
 */
export interface RunSession {
  readonly state: RunState;
  on(listener: (event: RunEvent) => void): () => void;
  start(): Promise<RunSummary>;
  cancel(reason?: string): void;
  summary(): RunSummary;
  pause?: () => void;
  resume?: () => Promise<RunSummary>;
}

/** Where and how a session of a run talks to its org. */
export interface SessionTarget {
  apiUrl: string;
  tokenSource: TokenSource;
}

/** What each strategy's session builder gets, prepared once here. */
export interface SessionInputs {
  meta: RunMeta;
  target: SessionTarget;
  mode: 'upload' | 'retry-failed';
  /** In `retry-failed`, only these of the failed rows (by row number); default every one. */
  retryRows?: readonly number[];
  mapping: Mapping;
  schema: ContactListSchema;
  /** The mapped rows of the run's CSV (read again from the top on every pass), and its rough count. */
  source: CsvRowStream;
  /** The org's shared limiter, with this run's headroom applied. */
  limiter: OrgLimiter;
  /**
   * The file's rows as the whole-file check counted them, when the file is unchanged since and
   * the session reads the file (not a retry of failed rows, which reads the journal).
   */
  fileRows?: FileRows;
}
