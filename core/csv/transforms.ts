import type { Transform } from './mapping';

/** A transform that could not apply (the value is kept as-is and the row is rejected). */
export class TransformError extends Error {
  /** The value the failing transform received. */
  readonly value: string;

  constructor(message: string, value: string) {
    super(message);
    this.value = value;
  }
}

/**
 * Applies the transforms in order. Throws TransformError with a consultant-readable reason when
 * a date does not match its pattern.
 */
export function applyTransforms(value: string, transforms: readonly Transform[]): string {
  let result = value;
  for (const transform of transforms) {
    switch (transform.kind) {
      case 'trim':
        result = result.trim();
        break;
      case 'case':
        result = changeCase(result, transform.to);
        break;
      case 'digits-only':
        result = result.replace(/\D+/g, '');
        break;
      case 'date':
        if (result !== '') result = reformatDate(result, transform.from, transform.to);
        break;
    }
  }
  return result;
}

function changeCase(value: string, to: 'upper' | 'lower' | 'title'): string {
  if (to === 'upper') return value.toUpperCase();
  if (to === 'lower') return value.toLowerCase();
  return value
    .toLowerCase()
    .replace(
      /(^|[\s'-])(\p{L})/gu,
      (_match, before: string, letter: string) => before + letter.toUpperCase(),
    );
}

const TOKENS = ['YYYY', 'MM', 'DD', 'HH', 'mm', 'ss'] as const;
type Token = (typeof TOKENS)[number];

/** Reformats a date between two token patterns; throws TransformError when it does not match. */
export function reformatDate(value: string, from: string, to: string): string {
  const { regex, order } = patternRegex(from);
  const match = regex.exec(value.trim());
  if (!match) throw new TransformError(`'${value}' is not a date in the format ${from}`, value);
  const parts: Partial<Record<Token, string>> = {};
  order.forEach((token, index) => {
    parts[token] = match[index + 1]!.padStart(token === 'YYYY' ? 4 : 2, '0');
  });
  const month = Number(parts.MM ?? '1');
  const day = Number(parts.DD ?? '1');
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    throw new TransformError(`'${value}' is not a real date in the format ${from}`, value);
  }
  let output = to;
  for (const token of TOKENS)
    output = output.replace(token, parts[token] ?? (token === 'YYYY' ? '0000' : '00'));
  return output;
}

const patternCache = new Map<string, { regex: RegExp; order: Token[] }>();

/** Longest date pattern accepted ("YYYY-MM-DDTHH:mm:ss" is 19). */
const MAX_PATTERN_LENGTH = 40;

/**
 * Compiles a date pattern. Each token may appear once and the pattern is short: repeated
 * `(\d{1,2})` groups backtrack exponentially on a long digit string and would block the process.
 */
function patternRegex(pattern: string): { regex: RegExp; order: Token[] } {
  const cached = patternCache.get(pattern);
  if (cached) return cached;
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new TransformError(
      `The date format "${pattern.slice(0, MAX_PATTERN_LENGTH)}…" is too long (at most ${MAX_PATTERN_LENGTH} characters)`,
      pattern,
    );
  }
  const order: Token[] = [];
  let source = '';
  let index = 0;
  while (index < pattern.length) {
    const token = TOKENS.find((candidate) => pattern.startsWith(candidate, index));
    if (token) {
      if (order.includes(token)) {
        throw new TransformError(
          `The date format "${pattern}" uses ${token} twice: use each of ${TOKENS.join(', ')} at most once`,
          pattern,
        );
      }
      order.push(token);
      source += token === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})';
      index += token.length;
    } else {
      source += pattern[index]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      index += 1;
    }
  }
  const compiled = { regex: new RegExp(`^${source}$`), order };
  patternCache.set(pattern, compiled);
  return compiled;
}
