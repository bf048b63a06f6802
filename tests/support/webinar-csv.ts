import { writeFileSync } from 'node:fs';

/** A valid US number unique to row `index` among the numbers from `base` up. */
export function usPhone(base: number, index: number): string {
  return `+1317${String(base + index).padStart(7, '0')}`;
}

/**
 * Writes `rows` contacts to `file` as a CSV whose headers the Sandbox's "Webinar follow-up" list
 * matches on its own (Email, First Name, Company, Work Phone, Score) and returns its path. Row
 * `index` (from 1) has the email `<idPrefix><index>@example.com`, which tests map as the contact
 * id, so the contacts a test uploaded are the list's ids starting with `idPrefix`; its phone is
 * `phone(index)` and its first name `firstName(index)` (`Lead <index>` by default).
 */
export function writeContactsCsv(
  file: string,
  {
    rows,
    idPrefix,
    phone,
    firstName = (index) => `Lead ${index}`,
  }: {
    rows: number;
    idPrefix: string;
    phone: (index: number) => string;
    firstName?: (index: number) => string;
  },
): string {
  const lines = ['Email,First Name,Company,Work Phone,Score'];
  for (let index = 1; index <= rows; index += 1) {
    lines.push(`${idPrefix}${index}@example.com,${firstName(index)},Acme,${phone(index)},warm`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
