// `npm run dist` preflight: packaging needs the Electron binary (and, to rebuild keytar for
// Electron's ABI, the Electron headers), both downloaded at install time. Where they could not
// be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, no network) stop here with one clear sentence
// instead of a long electron-builder stack trace.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Why packaging cannot run here, or undefined when it can. */
function packagingBlocker() {
  try {
    require.resolve('electron/package.json');
  } catch {
    return 'the electron package is not installed; run `npm install` first';
  }
  let binary;
  try {
    // The package's index throws when its binary was never downloaded.
    binary = require('electron');
  } catch {
    binary = undefined;
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return 'the Electron binary was not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD or without network access); run `npm install` without ELECTRON_SKIP_BINARY_DOWNLOAD on a machine with network access';
  }
  return undefined;
}

const blocker = packagingBlocker();
if (blocker) {
  process.stderr.write(`npm run dist cannot package Sluice here: ${blocker}.\n`);
  process.exit(1);
}
