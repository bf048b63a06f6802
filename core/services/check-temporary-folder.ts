import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { EventBus } from './event-bus';

/** What a check's temporary folder is called, inside the system's temporary folder. */
export const CHECK_FOLDER_PREFIX = 'sluice-check-';

/** A new, empty folder for one whole-file check's clean and rejects files. */
export function makeCheckFolder(): Promise<string> {
  return mkdtemp(join(os.tmpdir(), CHECK_FOLDER_PREFIX));
}

/**
 * Removes a check's temporary folder. A removal that fails never throws: the check's own outcome
 * (its result, or the error that stopped it) is what the consultant must see, so the failure is
 * reported beside it as a warning notice (shown in the status bar and logged by the shells). The
 * notice names the error code and the folder's prefix, never its path: the path is one Sluice
 * chose, not the consultant, and the folder holds contact data they may want to delete.
 */
export async function removeCheckFolder(folder: string, events: EventBus): Promise<void> {
  try {
    await rm(folder, { recursive: true, force: true, maxRetries: 2 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an unknown error';
    events.emit('app:notice', {
      level: 'warning',
      message:
        `Sluice could not remove the temporary copy of the rows a file check made (${code}). ` +
        `It is in the system's temporary folder, in a folder whose name starts with ` +
        `"${CHECK_FOLDER_PREFIX}": delete that folder, or let the system clear it.`,
    });
  }
}
