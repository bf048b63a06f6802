import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** Path of the Electron binary, or why there is none (this workplace cannot download it). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { path: binary };
    return {
      missing:
        'the electron package is installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD)',
    };
  } catch (error) {
    return {
      missing: `the Electron binary is not installed: ${(error as Error).message.split('\n')[0]}`,
    };
  }
}

const binary = electronBinary();
const mainScript = path.resolve('dist/electron/main.js');

test('Electron smoke: the sandboxed window shows the app and talks to the services over IPC', async () => {
  if ('missing' in binary) {
    console.log(`[electron smoke] skipped: ${binary.missing}.`);
    test.skip(true, binary.missing);
    return;
  }
  if (!existsSync(mainScript)) {
    throw new Error('dist/electron/main.js is missing: run `npm run build` before this test.');
  }
  const userData = mkdtempSync(path.join(os.tmpdir(), 'sluice-electron-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [mainScript, `--user-data-dir=${userData}`],
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('app-info')).toContainText('desktop');
    // Sandboxed, isolated renderer: no Node globals, and the bridge is the only thing exposed.
    const exposed = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { sluice?: object }).sluice ?? {}).sort(),
    }));
    expect(exposed).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: ['call', 'subscribe'],
    });
    await window.screenshot({ path: 'test-results/screens/electron-orgs.png' });
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
