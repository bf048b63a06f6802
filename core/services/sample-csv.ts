import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const firstNames = [
  'Ada',
  'Alan',
  'Grace',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
];
const companies = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'];

/**
 * Writes a sample CRM export for the built-in Sandbox org's "Webinar follow-up" list, so a new
 * user can try mapping, preparing and uploading before they have a file of their own. Headers
 * are CRM-style (not the list's names) to show auto-match; every 25th row has a phone number
 * Genesys would refuse, to show rejections and how to correct them. Returns the file's path.
 */
export function writeSampleCsv(dataFolder: string, rows = 250): string {
  const folder = path.join(dataFolder, 'samples');
  mkdirSync(folder, { recursive: true });
  const lines = ['E-mail,First Name,Company,Business Phone,Lead Score'];
  for (let index = 1; index <= rows; index += 1) {
    const name = firstNames[index % firstNames.length]!;
    const phone =
      index % 25 === 0 ? 'ask reception' : `+1 317 555 ${String(index).padStart(4, '0')}`;
    const score = ['hot', 'warm', 'cold'][index % 3]!;
    lines.push(
      `${name.toLowerCase()}.${index}@example.com,${name},${companies[index % companies.length]},${phone},${score}`,
    );
  }
  const file = path.join(folder, 'webinar-leads.csv');
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}
