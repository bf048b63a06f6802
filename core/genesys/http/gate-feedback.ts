import { failureFromText } from './network-failure';
import type { GateFeedback } from './request-gate';
import { classifyAnswer, type Classification, type HttpAnswer } from './response-policy';
import type { GenesysCall } from './advice';

/**
 * Whether a request got past Genesys's rate limits, so it spent their budget however it ended
 * (docs/ARCHITECTURE.md, "The throttle"): every answer but a 429 and a 401 (the token is
 * checked before the limits count), and an answer lost on the way back (a reset, a commit whose
 * answer was dropped). A request that never connected spent nothing; one that timed out is
 * counted nowhere: it may never have arrived, and its news comes a whole timeout after its slot.
 * Which of these a network failure was comes from the transport's error fields (`failure`, set
 * by network-failure.ts); only an answer made without an error is read by its message.
 */
export function passedLimits(answer: HttpAnswer): boolean {
  if (answer.kind === 'network')
    return (answer.failure ?? failureFromText(answer.message)) === 'cut-off';
  return answer.status !== 429 && answer.status !== 401;
}

/**
 * What one classified answer teaches the org's limiter: the pacing signal (a 429, a success,
 * or neither), whether the request spent the limits' budget, the rate-limit headers and the
 * wait a 429 asked for. One place, so the contact uploads and every other Genesys call on the
 * org teach the limiter the same way.
 */
export function gateFeedback(answer: HttpAnswer, classification: Classification): GateFeedback {
  const { verdict, retryAfterMs } = classification;
  return {
    signal: verdict === 'ok' ? 'ok' : verdict === 'throttled' ? 'throttled' : 'other',
    passedLimits: passedLimits(answer),
    latencyMs: answer.latencyMs,
    ...(answer.kind === 'response' ? { headers: answer.headers } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/**
 * What one answer to a call through `GenesysHttp` (a list read, the limits read, an import call)
 * teaches the org's limiter: what any answer teaches, marked as a call beside the uploads
 * (`GateFeedback.sideCall`), whose success must not teach the hidden layers the uploads meet.
 * The one place those calls' feedback is built, so a simulation of the product's reads hands
 * the limiter exactly what the product does.
 */
export function callFeedback(
  answer: HttpAnswer,
  call: GenesysCall,
  contactListId?: string,
): GateFeedback {
  return { ...gateFeedback(answer, classifyAnswer(answer, call, contactListId)), sideCall: true };
}
