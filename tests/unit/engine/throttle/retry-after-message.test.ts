import { describe, expect, it } from 'vitest';
import { parseRetryAfterFromMessage } from '../../../../core/engine/throttle/retry-after-message';

describe('parseRetryAfterFromMessage', () => {
  it('reads the N of the Genesys 429 message', () => {
    expect(
      parseRetryAfterFromMessage(
        'Rate limit exceeded the maximum. Retry the request in [14] seconds',
      ),
    ).toBe(14_000);
    expect(parseRetryAfterFromMessage('rate limit exceeded. Retry the request in 2 seconds')).toBe(
      2000,
    );
  });

  it('says nothing when the message states no wait', () => {
    expect(parseRetryAfterFromMessage(undefined)).toBeUndefined();
    expect(
      parseRetryAfterFromMessage(
        'Rate limit exceeded the maximum. [300] requests for [60] seconds remaining in the window.',
      ),
    ).toBeUndefined();
  });
});
