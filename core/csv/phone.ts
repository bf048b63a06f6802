import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

/** The outcome of normalising one phone number. */
export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * Normalises a phone number to E.164 (+15551234567) with libphonenumber-js's full metadata
 * (real validity, not just length). Numbers without an international prefix need a default
 * country (ISO alpha-2); without one they are invalid with a reason saying so.
 */
export function normalisePhone(value: string, defaultCountry: string | undefined): PhoneResult {
  const trimmed = value.trim();
  const international = trimmed.startsWith('+') || trimmed.startsWith('00');
  if (!international && !defaultCountry) {
    return {
      ok: false,
      reason:
        'has no country code and no default phone country is set (choose one, e.g. US, for numbers written without +)',
    };
  }
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  // extract: false: the cell must be a phone number, not text that contains one ("call 555…").
  const parsed = parsePhoneNumberFromString(candidate, {
    defaultCountry: defaultCountry as CountryCode | undefined,
    extract: false,
  });
  if (!parsed || !parsed.isValid()) {
    const where = international ? '' : ` for ${defaultCountry}`;
    return { ok: false, reason: `is not a valid phone number${where}` };
  }
  return { ok: true, e164: parsed.number };
}

/** True when the code is a country libphonenumber-js knows (e.g. 'US', 'GB', 'FR'). */
export { isSupportedCountry } from 'libphonenumber-js/max';
