import { fixedTokenSource } from '../genesys/contact-list-reader';
import { readPublishedRatePerMinute } from '../genesys/org-limits';

/**
 * The org's published request rate for a caller that holds a bare token (the benchmark); runs
 * use `readPublishedRatePerMinute` in core/genesys/org-limits.ts, the one limits reader.
 */
export function fetchPublishedRatePerMinute(options: {
  apiUrl: string;
  accessToken: string;
}): Promise<number | undefined> {
  return readPublishedRatePerMinute({
    apiUrl: options.apiUrl,
    tokenSource: fixedTokenSource(options.accessToken),
  });
}
