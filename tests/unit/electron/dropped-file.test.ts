import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, dispatch } from '../../../core/services';
import { FileAccess } from '../../../core/services/file-access';
import { grantDroppedFile } from '../../../electron/ipc/dropped-file-grant';
import { createDroppedFileReader } from '../../../electron/ipc/dropped-file-reader';

// A file dropped on the desktop window: the preload reads its path with Electron's
// webUtils.getPathForFile and asks the main process to grant exactly that path. Electron itself
// cannot run here, so the two Electron calls are replaced by what they do (return the File's
// path; carry the request to the main-process handler); the grant, the capability check and the
// services are the real ones.

let folder: string;
let dataFolder: string;
let dropped: string;
let fileAccess: FileAccess;
beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'sluice-drop-'));
  dataFolder = path.join(folder, 'data');
  mkdirSync(dataFolder);
  dropped = path.join(folder, 'elsewhere', 'export.csv');
  mkdirSync(path.dirname(dropped));
  writeFileSync(dropped, 'Email,Region\na@example.com,EU\n');
  fileAccess = new FileAccess({ roots: [dataFolder] });
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** The desktop services with this test's capability check. */
const desktopServices = () =>
  createServices({ version: 't', dataFolder, shell: 'electron', fileAccess });

/** A dropped File as Electron sees it: `path` is what webUtils.getPathForFile returns. */
interface FakeDroppedFile {
  path: string;
}

function readerGrantingAs(trusted: boolean) {
  return createDroppedFileReader<FakeDroppedFile>({
    getPathForFile: (file) => file.path,
    requestGrant: async (filePath) => grantDroppedFile(fileAccess, trusted, filePath),
  });
}

describe('a file dropped on the desktop window', () => {
  it('is refused by the contract until dropped, then opens like a picked file', async () => {
    const services = desktopServices();
    const before = await dispatch(services, 'csv:inspect', { path: dropped });
    expect(before).toMatchObject({ ok: false, error: { code: 'forbidden-path' } });

    expect(await readerGrantingAs(true)({ path: dropped })).toBe(dropped);

    const after = await dispatch(services, 'csv:inspect', { path: dropped });
    expect(after).toMatchObject({ ok: true, value: { headers: ['Email', 'Region'] } });
    // Only that file: its neighbours stay out of reach.
    const neighbour = path.join(path.dirname(dropped), 'secrets.txt');
    writeFileSync(neighbour, 'x');
    expect(() => fileAccess.check(neighbour, 'read')).toThrow(/outside the folders you allowed/);
  });

  it('a File that does not come from disk (empty path) grants nothing', async () => {
    let asked = false;
    const reader = createDroppedFileReader<FakeDroppedFile>({
      getPathForFile: (file) => file.path,
      requestGrant: async () => {
        asked = true;
        return { ok: true, value: null };
      },
    });
    expect(await reader({ path: '' })).toBeNull();
    expect(asked).toBe(false);
  });

  it('something that is not a File at all reads as null, not an exception', async () => {
    const reader = createDroppedFileReader<unknown>({
      getPathForFile: () => {
        throw new TypeError('Error processing argument at index 0');
      },
      requestGrant: async () => ({ ok: true, value: null }),
    });
    await expect(reader({})).resolves.toBeNull();
  });

  it('a grant from another frame is refused and grants nothing', async () => {
    expect(await readerGrantingAs(false)({ path: dropped })).toBeNull();
    expect(grantDroppedFile(fileAccess, false, dropped)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(() => fileAccess.check(dropped, 'read')).toThrow(/outside the folders you allowed/);
  });

  it('only an absolute path to an existing regular file is granted', () => {
    for (const value of [
      path.dirname(dropped), // a folder: new files could be created beside it
      path.join(folder, 'missing.csv'),
      'elsewhere/export.csv',
      '',
      'x'.repeat(40_000),
      42,
      { path: dropped },
      undefined,
    ]) {
      expect(grantDroppedFile(fileAccess, true, value), String(value).slice(0, 40)).toMatchObject({
        ok: false,
        error: { code: 'forbidden-path' },
      });
    }
    expect(() => fileAccess.check(dropped, 'read')).toThrow(/outside the folders you allowed/);
  });
});
