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
    // The services refuse to replace a file with a `conflict` (or, once they name it, `exists`)
    // error; the decision is made on the code, never on the message's words.
    const exists =
      error instanceof ContractError &&
      (error.code === 'conflict' || String(error.code) === 'exists');
    if (!exists) throw error;
    if (
      !window.confirm(
        `${error.message.replace(/: replace, or choose another name\.$/, '.')}\n\nReplace it?`,
      )
    )
      return undefined;
    return write(true);
  }
}
