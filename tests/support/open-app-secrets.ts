// Opens the app's services the way a shell does (startAppRuntime: keychain, else the shell's
// fallback, else memory) in its own process, so a test can give it an environment without a
// keychain. Adds one org with a secret, reads the secret-storage status the UI shows, and
// prints both as one JSON line. Usage:
//   node --import tsx tests/support/open-app-secrets.ts DATA_DIR [safe-storage]
// `safe-storage` passes a fallback store standing in for Electron's safeStorage (which needs
// Electron); the chain, not the encryption, is what the caller checks.
import { startAppRuntime } from '../../core/services/app-runtime';
import { createMemorySecretStore, type SecretStore } from '../../core/store';

const [dataFolder, fallbackKind] = process.argv.slice(2);
if (!dataFolder) throw new Error('usage: open-app-secrets.ts DATA_DIR [safe-storage]');

const safeStorageStandIn = (): SecretStore => ({
  ...createMemorySecretStore(),
  kind: 'safe-storage',
  persistent: true,
  description: 'Electron safeStorage (test stand-in)',
});

const runtime = await startAppRuntime({
  version: 'test',
  dataFolder,
  shell: 'web-host',
  sandbox: false,
  ...(fallbackKind === 'safe-storage' ? { secretFallback: safeStorageStandIn } : {}),
});
const added = await runtime.orgs.add({
  name: 'Chain Test Org',
  region: 'eu_west_1',
  authMethod: 'client-credentials',
  clientId: 'chain-client',
  clientSecret: 'chain-secret-value',
});
process.stdout.write(`${JSON.stringify({ storage: runtime.orgs.secretStorage(), org: added })}\n`);
await runtime.close();
