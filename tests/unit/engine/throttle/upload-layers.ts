import { POST_CONTACTS_ROUTE } from '../../../../core/sandbox';
import type { LimitLayerConfig } from '../../../../core/sandbox/types';

/**
 * The field report's two layers: the reported per-client fixed window (the one the
 * `inin-ratelimit-*` headers and a short Retry-After describe) and a hidden per-org fixed window
 * that only the uploads reach, so it opens with the first upload rather than with the limits read.
 */
export function reportedAndHiddenUploadWindows(scale: {
  reportedWindowMs: number;
  reported: number;
  hiddenWindowMs: number;
  hidden: number;
}): LimitLayerConfig[] {
  return [
    {
      name: 'client.credentials.token.rate.per.minute',
      scope: 'client',
      requests: scale.reported,
      windowMs: scale.reportedWindowMs,
      window: 'fixed',
      reported: true,
    },
    {
      name: 'hidden',
      scope: 'org',
      endpoint: POST_CONTACTS_ROUTE,
      requests: scale.hidden,
      windowMs: scale.hiddenWindowMs,
      window: 'fixed',
      reported: false,
    },
  ];
}
