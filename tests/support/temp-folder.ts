import { mkdtempSync } from 'node:fs';
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A new empty folder under the system's temporary folder, named from `prefix`, for a test's own
 * files (the e2e host may read it: it allows os.tmpdir()). The test removes it when done.
 */
export function tempFolder(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Whether anything is at `path` (a test's check that an output was, or was not, left behind). */
export const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );
