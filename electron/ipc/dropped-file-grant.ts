import { statSync } from 'node:fs';
import path from 'node:path';
import type { CallResult } from '../../core/contract';
import type { FileAccess } from '../../core/services/file-access';

/** Longest path accepted from a drop (Windows long paths are 32,767 characters). */
const MAX_PATH_LENGTH = 32_767;

/**
 * The main process's half: grants one dropped path to the capability check (FileAccess), so
 * the contract's file channels accept it, exactly as for a file picked in a native dialog. Refused
 * (`unauthorized`) unless the sender is the app window's top frame; refused (`forbidden-path`)
 * unless the value is an absolute path to an existing regular file (no folder: a folder grant
 * would let new files be created beside it).
 */
export function grantDroppedFile(
  fileAccess: FileAccess,
  trustedSender: boolean,
  filePath: unknown,
): CallResult<null> {
  if (!trustedSender) {
    return { ok: false, error: { code: 'unauthorized', message: 'Refused a drop grant.' } };
  }
  if (
    typeof filePath !== 'string' ||
    filePath.length === 0 ||
    filePath.length > MAX_PATH_LENGTH ||
    !path.isAbsolute(filePath) ||
    !isRegularFile(filePath)
  ) {
    return {
      ok: false,
      error: { code: 'forbidden-path', message: 'Only a file dropped from disk can be opened.' },
    };
  }
  fileAccess.grantPath(filePath);
  return { ok: true, value: null };
}

function isRegularFile(filePath: string): boolean {
  try {
    return statSync(filePath).isFile();
  } catch {
    return false;
  }
}
