import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What a victim file holds until a writer follows a planted link into it. */
export const UNTOUCHED = 'untouched\n';

/**
 * Plants the attack an atomic writer must resist: a symlink under the temporary name an older
 * writer used (`<file>.<pid>.tmp`), aimed at a victim file (by default `victim.txt` beside
 * `file`, created holding `UNTOUCHED`). Returns the victim's path: it still reads `UNTOUCHED`
 * if the writer did not follow the link.
 */
export function plantPredictableTemp(
  file: string,
  victim = path.join(path.dirname(file), 'victim.txt'),
): string {
  if (!existsSync(victim)) writeFileSync(victim, UNTOUCHED);
  symlinkSync(victim, `${file}.${process.pid}.tmp`);
  return victim;
}
