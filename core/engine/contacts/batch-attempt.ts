import type { FailureDetail } from '../../contract/runs';
import type { TokenSource } from '../../genesys/token-source';
import { batchBody } from './batcher';
import { classifyAnswer, type Classification } from '../../genesys/http/response-policy';
import { isFatalTokenError } from '../../genesys/http/advice';
import type { OrgLimiter } from '../throttle/org-limiter';
import { gateFeedback } from '../../genesys/http/gate-feedback';
import type { ContactsTransport } from './transport';
import type { PendingRow } from '../types';

/** How one send of a batch went. */
export type AttemptOutcome =
  /** The run is pausing or stopping: nothing was sent. */
  | { kind: 'aborted' }
  /** No token: `fatal` when retrying cannot help (refused credentials). Nothing was sent. */
  | { kind: 'token-error'; fatal: boolean; detail: FailureDetail }
  /** The request went out; `network` when no HTTP answer came back. */
  | { kind: 'answered'; classification: Classification; network: boolean; token: string };

/** What one attempt needs from the run. */
export interface AttemptContext {
  limiter: OrgLimiter;
  transport: ContactsTransport;
  tokenSource: TokenSource;
  contactListId: string;
  /** Aborts the wait for a slot (pause, cancel, stop). */
  signal: AbortSignal;
  /** Called right before the request leaves (journal the dispatch, count the request). */
  onDispatch: () => void;
}

/**
 * Sends a batch once: waits for the org limiter's slot, gets a token, posts, classifies the
 * answer and hands the limiter what it taught (ok, 429 with Retry-After, headers, latency).
 * Never throws for HTTP or network failures; the caller decides what the outcome means.
 */
export async function attemptBatch(
  context: AttemptContext,
  rows: readonly PendingRow[],
): Promise<AttemptOutcome> {
  const { limiter, transport, tokenSource, contactListId } = context;
  const permit = await limiter.acquire(context.signal);
  if (!permit) return { kind: 'aborted' };
  let token: string;
  try {
    token = await tokenSource.getAccessToken();
  } catch (error) {
    limiter.complete(permit, { signal: 'other', latencyMs: 0 });
    const reason = error instanceof Error ? error.message : String(error);
    const fatal = isFatalTokenError(error);
    return { kind: 'token-error', fatal, detail: { status: fatal ? 401 : 0, reason } };
  }
  context.onDispatch();
  const result = await transport.postContacts({
    contactListId,
    bodyJson: batchBody(rows),
    accessToken: token,
  });
  const classification = classifyAnswer(result, 'contacts', contactListId);
  limiter.complete(permit, gateFeedback(result, classification));
  return { kind: 'answered', classification, network: result.kind === 'network', token };
}
