import { ContractError } from '../../../core/contract';

/**
 * Writes a file through `write(overwrite)`: first without replacing anything; when the service
 * answers that the file exists, asks the consultant, and only then replaces it. Resolves to
 * undefined when they say no.
 */
export async function writeWithConfirm<T>(
  write: (overwrite: boolean) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await write(false);
  } catch (error) {
    if (!(error instanceof ContractError) || error.code !== 'exists') throw error;
    if (
      !window.confirm(
        `${error.message.replace(/: replace, or choose another name\.$/, '.')}\n\nReplace it?`,
      )
    )
      return undefined;
    return write(true);
  }
}
