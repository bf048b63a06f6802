import type { BatchEvent, FailureDetail } from '../../contract/runs';
import { refreshedTokenAdvice } from '../../genesys/http/advice';
import type { RunLedger } from '../journal/run-ledger';
import type { RequestCounters } from '../run/metrics-recorder';
import type { UploadRunOptions } from '../run/run-options';
import { fullJitterDelayMs, type RandomSource } from '../throttle/backoff';
import type { Clock } from '../throttle/clock';
import type { PendingRow } from '../types';
import { attemptBatch } from './batch-attempt';
import { splitBatch } from './batcher';

/** A batch on its way, with what its retries have learned so far. */
export interface QueuedBatch {
  id: string;
  rows: PendingRow[];
  attempt: number;
  retryAttempt: number;
  firstTryMs?: number;
  reauthorized: boolean;
  lastDetail?: FailureDetail;
  /**
   * A request of these rows went out and drew no definite answer (5xx, network error): Genesys
   * may have stored them. A cancel leaves such rows for a retry instead of the resume.
   */
  possiblyStored?: boolean;
}

/** What the retry state machine needs from its run (the worker pool and the stop rules). */
export interface BatchRetryHost {
  readonly options: UploadRunOptions;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly ledger: RunLedger;
  readonly counters: RequestCounters;
  /** The run's stop signal (pause, cancel, stop). */
  signal(): AbortSignal;
  /** True once a pause, cancel or stop was asked for. */
  stopping(): boolean;
  /** Keeps an unsettled batch for a resume (or for the cancel's failure records). */
  park(batch: QueuedBatch): void;
  /** Settles every row of the batch as rejected or failed with the reason. */
  settle(outcome: 'rejected' | 'failed', batch: QueuedBatch, detail: FailureDetail): void;
  /** Stops the run with the reason (a configuration problem retrying cannot fix). */
  stop(detail: FailureDetail): void;
  /** Pauses the run with the reason (resumable: nothing is wrong with the rows). */
  pause(reason: string): void;
  /** Queues rows as a new batch at the front (the halves of a split, with the whole's `possiblyStored`). */
  enqueue(rows: PendingRow[], front: boolean, id: string, possiblyStored: boolean): void;
  emitBatch(batch: QueuedBatch, outcome: BatchEvent['outcome'], detail?: FailureDetail): void;
}

/**
 * The retry state machine of one batch: sends it through `attemptBatch` until it is settled,
 * parked or split, following the one response policy (docs/ARCHITECTURE.md, From a CSV row to
 * a stored contact). A 429 resends at once (the limiter holds the whole org for the wait); 5xx
 * and network errors back off with full jitter; a retryable batch gives up only after
 * `giveUpAfterMs` (time, not a count of attempts); 401 refreshes the token once; row problems
 * split the batch until the bad rows stand alone; request problems fail it whole; fatal answers
 * stop the run.
 */
export async function sendUntilSettled(batch: QueuedBatch, host: BatchRetryHost): Promise<void> {
  const { limiter, transport, tokenSource, contactListId } = host.options;
  const giveUpAfterMs = host.options.giveUpAfterMs ?? 30 * 60_000;
  for (;;) {
    if (host.stopping()) return host.park(batch);
    if (batch.firstTryMs !== undefined && host.clock.nowMs() - batch.firstTryMs > giveUpAfterMs) {
      const last = batch.lastDetail ?? { status: 0, reason: 'no answer' };
      const reason = `Gave up after retrying for ${Math.round(giveUpAfterMs / 1000)} s; last error: ${last.reason}`;
      return host.settle('failed', batch, { ...last, reason });
    }
    const outcome = await attemptBatch(
      {
        limiter,
        transport,
        tokenSource,
        contactListId,
        signal: host.signal(),
        onDispatch: () => {
          batch.firstTryMs ??= host.clock.nowMs();
          batch.attempt += 1;
          host.ledger.dispatched(
            batch.id,
            batch.rows.map((row) => row.rowNumber),
            batch.attempt,
          );
          host.counters.requests += 1;
        },
      },
      batch.rows,
    );
    if (outcome.kind === 'aborted') return host.park(batch);
    if (outcome.kind === 'token-error') {
      if (outcome.fatal) {
        host.stop(outcome.detail);
        return host.park(batch);
      }
      batch.lastDetail = outcome.detail;
      batch.firstTryMs ??= host.clock.nowMs();
      await host.clock.sleep(retryDelayMs(batch, host), host.signal());
      continue;
    }
    const { classification: verdict, token } = outcome;
    batch.lastDetail = verdict.detail;
    if (verdict.verdict !== 'unauthorized') batch.reauthorized = false;
    switch (verdict.verdict) {
      case 'ok':
        host.counters.ok += 1;
        host.ledger.uploaded(batch.id, batch.rows);
        host.emitBatch(batch, 'uploaded');
        return;
      case 'throttled': {
        host.counters.throttled += 1;
        host.counters.retries += 1;
        host.emitBatch(batch, 'retrying', verdict.detail);
        const capMs = host.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
        if (verdict.retryAfterMs !== undefined && verdict.retryAfterMs > capMs) {
          // docs/GENESYS.md#retry-after-long: waits past the cap are the consultant's call
          host.pause(longWaitReason(verdict.retryAfterMs));
          return host.park(batch);
        }
        continue; // the limiter holds every request of the org until the wait is over
      }
      case 'retryable':
        batch.possiblyStored = true;
        if (outcome.network) host.counters.networkErrors += 1;
        else host.counters.serverErrors += 1;
        host.counters.retries += 1;
        host.emitBatch(batch, 'retrying', verdict.detail);
        await host.clock.sleep(retryDelayMs(batch, host), host.signal());
        continue;
      case 'unauthorized':
        if (batch.reauthorized) {
          host.stop(refreshedTokenAdvice(verdict.detail));
          return host.park(batch);
        }
        tokenSource.invalidate(token);
        batch.reauthorized = true;
        host.counters.retries += 1;
        continue;
      case 'fatal':
        host.stop(verdict.detail);
        return host.park(batch);
      case 'request-problem':
        // about the request, not its rows: splitting would only multiply the calls
        return host.settle('failed', batch, verdict.detail);
      case 'row-problem':
        if (batch.rows.length === 1) return host.settle('rejected', batch, verdict.detail);
        host.emitBatch(batch, 'split', verdict.detail);
        {
          const [left, right] = splitBatch(batch.rows);
          const stored = batch.possiblyStored === true;
          host.enqueue(right, true, `${batch.id}.2`, stored);
          host.enqueue(left, true, `${batch.id}.1`, stored);
        }
        return;
    }
  }
}

/** Longest 429 wait a run sits out on its own before it pauses instead, ms. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/** The pause reason the UI and the CLI show for a wait past the cap. */
export function longWaitReason(retryAfterMs: number): string {
  return `Genesys asked to wait ${Math.round(retryAfterMs / 1000)} s; paused: resume when ready.`;
}

/** The next full-jitter backoff of a batch's 5xx/network retries, ms. */
function retryDelayMs(batch: QueuedBatch, host: BatchRetryHost): number {
  const backoff = host.options.retryBackoff ?? { baseDelayMs: 250, maxDelayMs: 15_000 };
  const delayMs = fullJitterDelayMs(batch.retryAttempt, backoff, host.random);
  batch.retryAttempt += 1;
  return delayMs;
}
