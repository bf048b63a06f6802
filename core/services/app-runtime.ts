import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';
import {
  ensureDataFolder,
  keychainServiceName,
  openSecretStore,
  type ProfileStore,
  type SecretStore,
} from '../store';
import type { ServiceContext } from './index';
import { createServices } from './index';
import { EventBus } from './event-bus';
import { OrgRegistry } from './orgs-registry';
import type { Services } from '../contract';
import { defaultFileAccess, type FileAccess } from './file-access';

/** What a shell (Electron main, web host) passes to start the app's services. */
export interface AppRuntimeOptions extends Omit<ServiceContext, 'events' | 'orgs'> {
  /**
   * Keychain service the org secrets are filed under; default `keychainServiceName()`:
   * `SLUICE_KEYCHAIN_SERVICE` when set, else "Sluice".
   */
  keychainService?: string;
  /** Secret store used when the OS keychain is missing (Electron passes safeStorage). */
  secretFallback?: () => SecretStore | undefined;
  /** Opens the system browser for PKCE sign-in. */
  openBrowser?: (url: string) => Promise<void> | void;
  /**
   * Start the built-in Sandbox org's simulator in-process (default true, `demo` scenario); the
   * options pick another scenario or inject faults (demos, e2e tests).
   */
  sandbox?: boolean | SandboxOptions;
  /** Where org profiles are kept (Electron: electron-store); conf in `dataFolder` by default. */
  profileStore?: ProfileStore;
}

/** The services of one app instance and what must be stopped with it. */
export interface AppRuntime {
  services: Services;
  events: EventBus;
  orgs: OrgRegistry;
  sandbox: Sandbox | undefined;
  /**
   * The capability check every path from the renderer passes. The desktop shell calls
   * `fileAccess.grantPath(path)` for a file the user dropped on the window (dialog picks are
   * granted by `app:pickFile` itself).
   */
  fileAccess: FileAccess;
  close(): Promise<void>;
}

/**
 * Starts everything a shell serves: the in-process Sandbox org (so the app works on first
 * launch with no credentials), the keychain-backed org registry, and the contract's services.
 * A sandbox that cannot start (port trouble) is reported as a notice, not a crash.
 */
export async function startAppRuntime(options: AppRuntimeOptions): Promise<AppRuntime> {
  // Journals and failed-rows files hold contact data: the folder is this user's only.
  ensureDataFolder(options.dataFolder);
  const events = new EventBus();
  let sandbox: Sandbox | undefined;
  if (options.sandbox ?? true) {
    const sandboxOptions =
      typeof options.sandbox === 'object' ? options.sandbox : { scenario: 'demo' as const };
    sandbox = await startSandbox(sandboxOptions).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      queueMicrotask(() =>
        events.emit('app:notice', {
          level: 'warning',
          message: `The Sandbox org could not start: ${reason}`,
        }),
      );
      return undefined;
    });
  }
  const secrets = await openSecretStore({
    service: options.keychainService ?? keychainServiceName(),
    fallback: options.secretFallback,
  });
  const orgs = new OrgRegistry({
    dataFolder: options.dataFolder,
    secretStore: secrets.store,
    secretWarning: secrets.warning,
    sandbox,
    openBrowser: options.openBrowser,
    profileStore: options.profileStore,
  });
  const fileAccess = options.fileAccess ?? defaultFileAccess(options.shell, options.dataFolder);
  const services = createServices({ ...options, events, orgs, fileAccess });
  return {
    services,
    events,
    orgs,
    sandbox,
    fileAccess,
    async close() {
      await sandbox?.stop();
    },
  };
}
