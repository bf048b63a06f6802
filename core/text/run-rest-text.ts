import type { RunRest } from '../contract/runs';
import { countOf } from './count';

/**
 * The rest of a cancelled or stopped run in words, the same in the run view, its HTML report and
 * the CLI: `head` is what is sent ("2,700 rows this run never sent"), `detail` how it splits ("1,800 read
 * before the cancel and 900 never read"), and `leftFailed` the failed rows it does not send, if
 * any ("50 failed rows are not part of it …", which says where they wait: `retryWhere`).
 */
export function runRestText(
  rest: RunRest,
  /** Where a failed row waits for its retry, in the reader's words (the CLI names its command). */
  retryWhere = 'in Failures for a retry',
): {
  head: string;
  detail?: string;
  leftFailed?: string;
} {
  const { cause, notSent, notRead, total, otherFailed } = rest;
  // (the batch a stop's answer refused stored nothing: it is part of the rest, not of these)
  const failedWhy = `sent without a confirmed answer, or failed before the ${cause}`;
  const leftFailed =
    otherFailed > 0
      ? `${countOf(otherFailed, 'failed row')} ${otherFailed === 1 ? 'is' : 'are'} not part of it (${failedWhy}): ${otherFailed === 1 ? 'it stays' : 'they stay'} ${retryWhere}.`
      : undefined;
  const withLeft = <T extends object>(text: T) => (leftFailed ? { ...text, leftFailed } : text);
  if (notSent === 0)
    return withLeft({ head: `${countOf(total, 'row')} of the file this run never read` });
  if (notRead === 0)
    return withLeft({ head: `${countOf(notSent, 'row')} this run read but never sent` });
  if (notRead === undefined)
    return withLeft({
      head: `${countOf(notSent, 'row')} this run read but never sent`,
      detail: 'and any rows of the file it never read',
    });
  return withLeft({
    head: `${countOf(total, 'row')} this run never sent`,
    detail: `${notSent.toLocaleString('en-US')} read before the ${cause} and ${notRead.toLocaleString('en-US')} never read`,
  });
}
