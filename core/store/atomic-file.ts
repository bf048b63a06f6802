import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A random temporary name beside `filePath`, hidden (leading dot). Random so nobody can plant a
 * file or symlink under it in advance; the write that uses it still opens it exclusively (`wx`).
 */
function temporaryNameFor(filePath: string): string {
  return path.join(
    path.dirname(filePath),
    `.${path.basename(filePath)}.${randomBytes(8).toString('hex')}.tmp`,
  );
}

/**
 * Replaces `filePath` with `text` in one step: the text goes to a temporary file beside it, then
 * renames over it, so a crash never leaves half a file. The temporary name is random and created
 * exclusively (`wx`): a file or symlink planted under a guessable name cannot redirect the write.
 */
export async function writeFileAtomically(filePath: string, text: string): Promise<void> {
  const temporary = temporaryNameFor(filePath);
  await writeFile(temporary, text, { flag: 'wx' });
  try {
    await rename(temporary, filePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * `writeFileAtomically` for callers that must finish before they return (the run folder writes
 * run.json, summary.json and the row reports between two journal steps). Same guarantees.
 */
export function writeFileAtomicallySync(filePath: string, text: string): void {
  const temporary = temporaryNameFor(filePath);
  writeFileSync(temporary, text, { flag: 'wx' });
  try {
    renameSync(temporary, filePath);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
