import { PER_CLIENT_300_PER_MINUTE } from '../../../core/sandbox/scenarios';
import type { DeepPartial, LimitLayerConfig, SandboxConfig } from '../../../core/sandbox/types';

/**
 * Sandbox overrides (for the host's `--sandbox-overrides`) that slow contact uploads with a layer
 * Genesys does not report: `uploads` contact uploads per `windowMs` per org, so a run lasts long
 * enough to watch, pause or interrupt. Retry-After is honest so the run still ends in seconds
 * (the short Retry-After of the field report is the throttle's own tests' business).
 * `reportedPerClient` adds the 300/min per-client limit Genesys does report, the Sandbox
 * scenarios' own (docs/GENESYS.md#layered-limits); `orgs` replaces the Sandbox's tenants.
 */
export function hiddenUploadLimit({
  uploads,
  windowMs,
  reportedPerClient = false,
  orgs,
}: {
  uploads: number;
  windowMs: number;
  reportedPerClient?: boolean;
  orgs?: DeepPartial<SandboxConfig>['orgs'];
}): DeepPartial<SandboxConfig> {
  const hidden: LimitLayerConfig = {
    name: 'hidden.contacts.per.org',
    scope: 'org',
    endpoint: 'POST /api/v2/outbound/contactlists/{id}/contacts',
    requests: uploads,
    windowMs,
    window: 'fixed',
    reported: false,
  };
  return {
    ...(orgs ? { orgs } : {}),
    retryAfterMode: 'honest',
    limits: reportedPerClient ? [PER_CLIENT_300_PER_MINUTE, hidden] : [hidden],
  };
}

/** The host arguments that start its Sandbox org with `overrides`. */
export function sandboxOverridesArgs(overrides: DeepPartial<SandboxConfig>): string[] {
  return ['--sandbox-overrides', JSON.stringify(overrides)];
}
