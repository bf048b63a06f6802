import type { CallResult } from '../../core/contract';

/**
 * The preload's half of a drop: asks Electron for the path of a File the user dropped (an empty
 * string when the File was built by page script rather than read from disk), asks the main
 * process to grant it, and returns it, or null when there is nothing to grant. The Electron
 * calls are passed in so this runs, and is tested, in plain Node. No Node imports: the sandboxed
 * preload bundles it.
 */
export function createDroppedFileReader<FileLike>(electron: {
  getPathForFile: (file: FileLike) => string;
  requestGrant: (filePath: string) => Promise<CallResult<null>>;
}): (file: FileLike) => Promise<string | null> {
  return async (file) => {
    let filePath: string;
    try {
      filePath = electron.getPathForFile(file);
    } catch {
      return null; // not a File at all (page script can pass anything)
    }
    if (!filePath) return null;
    const granted = await electron.requestGrant(filePath);
    return granted.ok ? filePath : null;
  };
}
