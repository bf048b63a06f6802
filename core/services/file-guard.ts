import { existsSync } from 'node:fs';
import { ContractError } from '../contract';

/**
 * Refuses to replace existing files unless the consultant said so: nothing a consultant made
 * (a cleaned file, an export they edited) is lost to a second click.
 */
export function refuseToOverwrite(paths: readonly string[], overwrite: boolean): void {
  if (overwrite) return;
  const existing = paths.filter((path) => existsSync(path));
  if (existing.length > 0) {
    throw new ContractError(
      'exists',
      `${existing.join(' and ')} already ${existing.length > 1 ? 'exist' : 'exists'}: replace, or choose another name.`,
    );
  }
}
