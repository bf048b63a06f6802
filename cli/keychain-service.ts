import { SECRET_SERVICE_NAME } from '../core/store';

/**
 * The OS keychain service the CLI keeps org secrets under: SLUICE_KEYCHAIN_SERVICE when set
 * (tests and side-by-side installs use their own), else the app's "Sluice". Every CLI command
 * that opens the keychain uses this, so `orgs add` and `upload --org` read the same entries.
 */
export function keychainServiceName(): string {
  return process.env.SLUICE_KEYCHAIN_SERVICE?.trim() || SECRET_SERVICE_NAME;
}
