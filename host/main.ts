import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installCrashHandlers, openAppLogOrStderr, RunEventsLog } from '../core/log';
import { startAppRuntime } from '../core/services/app-runtime';
import { FileAccess, webHostRoots } from '../core/services/file-access';
import { openInSystemBrowser } from '../core/services/system-browser';
import { defaultDataFolder, ensureDataFolder, keychainServiceName } from '../core/store';
import type { ScenarioName } from '../core/sandbox';
import { startHost } from './server';

// The app folder (package.json, dist/renderer): one level up from host/main.ts, two from the
// bundle in dist/host/main.js.
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = existsSync(path.join(here, '..', 'package.json'))
  ? path.resolve(here, '..')
  : path.resolve(here, '..', '..');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    // Folders the page may read and write besides the data folder and the working directory.
    'allow-dir': { type: 'string', multiple: true, default: [] },
    'static-dir': { type: 'string', default: path.join(repoRoot, 'dist', 'renderer') },
    json: { type: 'boolean', default: false },
    open: { type: 'boolean', default: false },
    'no-sandbox': { type: 'boolean', default: false },
    // The built-in Sandbox org's scenario and JSON overrides (see core/sandbox/README.md).
    'sandbox-scenario': { type: 'string', default: 'demo' },
    'sandbox-overrides': { type: 'string' },
  },
});

const dataFolder = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataFolder();
ensureDataFolder(dataFolder);
const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
};

// One log for the host, the desktop app and the CLI (<data folder>/logs); the host logs run
// outcomes from the services' events, and an unhandled error is logged with the running runs
// rather than ending the process mid-batch.
const log = await openAppLogOrStderr({ dataFolder, process: 'web-host' });
const runsLog = new RunEventsLog(
  log.logger,
  async (runId) => (await runtime.services['runs:get']({ runId })).summary.orgName,
);
installCrashHandlers({ log, runningRunIds: () => runsLog.runningRunIds() });

const runtime = await startAppRuntime({
  version,
  dataFolder,
  shell: 'web-host',
  // SLUICE_KEYCHAIN_SERVICE when set (tests, scratch runs), else the real "Sluice" service.
  keychainService: keychainServiceName(),
  fileAccess: new FileAccess({
    roots: webHostRoots({ dataFolder, allowDirs: values['allow-dir'], env: process.env }),
  }),
  // Sign-in opens the system browser (the address is also in the page).
  openBrowser: (url) => openInSystemBrowser(url),
  sandbox: values['no-sandbox']
    ? false
    : {
        scenario: values['sandbox-scenario'] as ScenarioName,
        ...(values['sandbox-overrides']
          ? { overrides: JSON.parse(values['sandbox-overrides']) }
          : {}),
      },
});
runtime.events.subscribe((event, payload) => runsLog.onEvent(event, payload));
const host = await startHost({
  services: runtime.services,
  events: runtime.events,
  staticDir: values['static-dir'],
  port: Number(values.port),
});

log.logger.info({ event: 'started', version, dataFolder, url: host.origin }, 'web host started');

if (values.json) {
  // One machine-readable line for tests and scripts that start the host.
  process.stdout.write(
    `${JSON.stringify({ url: host.appUrl, origin: host.origin, token: host.token })}\n`,
  );
} else {
  process.stdout.write(`Sluice is running at\n\n  ${host.appUrl}\n\nPress Ctrl+C to stop.\n`);
}
// Best effort: the address is printed above anyway.
if (values.open) openInSystemBrowser(host.appUrl);

// Once only: conf's atomic writer (when-exit) re-raises SIGTERM after its own clean-up, so the
// signal arrives twice, and a second stop would log into the log the first one closed.
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  log.logger.info(
    { event: 'stopping', runningRunIds: runsLog.runningRunIds() },
    'web host stopping',
  );
  await host.close();
  await runtime.close();
  await log.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
