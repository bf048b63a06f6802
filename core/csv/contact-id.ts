import { createHash } from 'node:crypto';

/**
 * A stable contact id from the values of the chosen columns: the first 32 hex characters of the
 * SHA-256 of the column names and values. Same values → same id on every run and machine, so
 * retried POSTs are idempotent upserts (docs/GENESYS.md).
 */
export function hashContactId(columns: readonly string[], values: readonly string[]): string {
  const hash = createHash('sha256');
  for (let index = 0; index < columns.length; index += 1) {
    hash.update(columns[index]!);
    hash.update('\u0000');
    hash.update(values[index] ?? '');
    hash.update('\u0001');
  }
  return hash.digest('hex').slice(0, 32);
}
