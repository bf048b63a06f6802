import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `filePath` with `text` in one step: the text goes to a temporary file beside it, then
 * renames over it, so a crash never leaves half a file. The temporary name is random and created
 * exclusively (`wx`): a file or symlink planted under a guessable name cannot redirect the write.
 */
export async function writeFileAtomically(filePath: string, text: string): Promise<void> {
  const temporary = path.join(
    path.dirname(filePath),
    `.${path.basename(filePath)}.${randomBytes(8).toString('hex')}.tmp`,
  );
  await writeFile(temporary, text, { flag: 'wx' });
  try {
    await rename(temporary, filePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
