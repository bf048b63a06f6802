import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A new empty folder under the system's temporary folder, named from `prefix`, for a test's own
 * files (the e2e host may read it: it allows os.tmpdir()). The test removes it when done.
 */
export function tempFolder(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
