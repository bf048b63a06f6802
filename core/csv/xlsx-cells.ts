import type { CellValue } from 'exceljs';

/**
 * Turns a spreadsheet cell into the text a consultant sees in it, so an .xlsx file maps and
 * validates exactly like the CSV Excel would have saved:
 * - numbers in full digits, never in scientific notation (a phone stored as a number stays
 *   13125550123, not 1.31256E+10), at Excel's 15 significant digits (0.1 + 0.2 shows 0.3);
 * - the number formats that change what is shown: zero-padding (`00000` keeps a ZIP's leading
 *   zero), fixed decimals (`0.00`), percentages; grouping separators are left out (a NUMERIC
 *   list column refuses "1,234");
 * - dates as ISO-like text Genesys TIMESTAMP columns accept (`2025-01-15`, `2025-01-15 13:45`);
 * - formulas as their cached result (what the file shows when opened; nothing is evaluated);
 * - booleans as TRUE/FALSE, errors as their code (#N/A), rich text as its plain text.
 */
export function cellText(value: CellValue, numberFormat: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numberFormat);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value, numberFormat);
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return '';
    if (typeof result === 'number') {
      if (Number.isNaN(result)) return '';
      return isDateFormat(numberFormat)
        ? dateText(excelSerialToDate(result), numberFormat)
        : numberText(result, numberFormat);
    }
    if (typeof result === 'object' && result !== null && 'error' in result)
      return String((result as { error: unknown }).error);
    return cellText(result as CellValue, numberFormat);
  }
  if ('text' in value) return String((value as { text: unknown }).text ?? '');
  return '';
}

const plainFormat = new Intl.NumberFormat('en-US', {
  useGrouping: false,
  maximumSignificantDigits: 15,
});

/** A number as Excel's General format shows it, in full digits, or in the cell's simple format. */
export function numberText(value: number, numberFormat: string | undefined): string {
  if (!Number.isFinite(value)) return '';
  const format = simpleFormat(numberFormat);
  if (format) {
    const scaled = format.percent ? value * 100 : value;
    let text = scaled.toFixed(format.decimals);
    if (format.integerDigits > 1) {
      const negative = text.startsWith('-');
      const digits = negative ? text.slice(1) : text;
      const point = digits.indexOf('.');
      const integerPart = point === -1 ? digits : digits.slice(0, point);
      text =
        (negative ? '-' : '') +
        integerPart.padStart(format.integerDigits, '0') +
        (point === -1 ? '' : digits.slice(point));
    }
    return format.percent ? `${text}%` : text;
  }
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-6 && magnitude < 1e15) return String(Number(value.toPrecision(15)));
  return plainFormat.format(value);
}

interface SimpleFormat {
  integerDigits: number;
  decimals: number;
  percent: boolean;
}

const formatCache = new Map<string, SimpleFormat | undefined>();

/**
 * Reads the number formats worth honouring: `0`, `00000`, `0.00`, `#,##0.00`, `0%`, `0.0%`
 * (first section only). Anything else (currency, fractions, scientific, text) is shown as General.
 */
function simpleFormat(numberFormat: string | undefined): SimpleFormat | undefined {
  if (!numberFormat || numberFormat === 'General' || numberFormat === '@') return undefined;
  if (formatCache.has(numberFormat)) return formatCache.get(numberFormat);
  const section = numberFormat.split(';')[0]!;
  const match = /^[#,]*(0+)(?:\.(0+))?(%?)$/.exec(section);
  const format = match
    ? {
        integerDigits: match[1]!.length,
        decimals: match[2]?.length ?? 0,
        percent: match[3] === '%',
      }
    : undefined;
  formatCache.set(numberFormat, format);
  return format;
}

/** True when the format shows a date or a time (tokens outside quotes and brackets). */
export function isDateFormat(numberFormat: string | undefined): boolean {
  if (!numberFormat) return false;
  const bare = numberFormat.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhs]/i.test(bare);
}

/** Excel's 1900 date system: serial 25569 is 1970-01-01 (cells are zone-less, read as UTC). */
export function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * A date cell as ISO-like text: `2025-01-15` when it has no time of day (or its format shows
 * none), `2025-01-15 13:45[:30]` otherwise, `13:45` for a time-only format.
 */
export function dateText(date: Date, numberFormat: string | undefined): string {
  if (Number.isNaN(date.getTime())) return '';
  const bare = (numberFormat ?? '').replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  const showsDate = numberFormat === undefined || /[yd]/i.test(bare) || /m{3,}/i.test(bare);
  const showsTime = numberFormat === undefined || /[hs]/i.test(bare);
  const time =
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` +
    (date.getUTCSeconds() === 0 ? '' : `:${pad(date.getUTCSeconds())}`);
  if (!showsDate && showsTime) return time;
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const midnight =
    date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0;
  return showsTime && !midnight ? `${day} ${time}` : day;
}
