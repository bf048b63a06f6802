import { ContractError } from '../../../core/contract';
import type { Confirm } from './confirm-dialog';

/**
 * Writes a file through `write(overwrite)`: first without replacing anything; when the service
 * answers that the file exists, asks the consultant (`confirm`, from `useConfirm`), and only then
 * replaces it. Resolves to undefined when they say no.
 */
export async function writeWithConfirm<T>(
  write: (overwrite: boolean) => Promise<T>,
  confirm: Confirm,
): Promise<T | undefined> {
  try {
    return await write(false);
  } catch (error) {
    if (!(error instanceof ContractError) || error.code !== 'exists') throw error;
    const replace = await confirm({
      title: 'Replace the existing file?',
      detail: error.message.replace(/: replace, or choose another name\.$/, '.'),
      confirmLabel: 'Replace',
      cancelLabel: 'Keep it',
      destructive: true,
    });
    return replace ? write(true) : undefined;
  }
}
