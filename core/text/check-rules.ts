/**
 * What each rule of the whole-file check means, in one place for the app's check (Upload) and
 * `sluice prepare`'s summary: a consultant reads the problem, the code stays beside it.
 * Unknown rules read as their code.
 */

/** Rejecting rules: the row is not sent. */
export const RULE_TEXT: Readonly<Record<string, string>> = {
  phone: 'Phone number not valid',
  required: 'A required value is missing',
  'max-length': 'Value longer than 512 characters',
  'contact-id': 'No contact id (the id column is empty)',
  'duplicate-id': 'Same contact id as an earlier row',
  numeric: 'Not a number (numeric column)',
  timestamp: 'Not a date and time (timestamp column)',
  'date-format': 'Date not in the expected format',
  'ragged-row': 'Row has more or fewer cells than the header',
  'malformed-quotes': 'Broken quotes in the row',
};

/** Warnings: the rows are sent, but a consultant should look at them first. */
export const WARNING_TEXT: Readonly<Record<string, string>> = {
  uncallable: 'No phone or email in any contactable column (cannot be reached)',
  formula: 'A cell starts like a spreadsheet formula (=, +, -, @)',
};

/** A rule in words: its generic wording, or the code when the rule is not known. */
export function ruleText(rule: string): string {
  return RULE_TEXT[rule] ?? rule;
}

/** A warning in words, or its code when not known. */
export function warningText(warning: string): string {
  return WARNING_TEXT[warning] ?? warning;
}
