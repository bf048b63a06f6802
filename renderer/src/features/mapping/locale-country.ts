import { getCountries } from 'libphonenumber-js/min';

/**
 * The country of this computer's language setting (`en-GB` → GB), used as the default country
 * for phone numbers written without a +country prefix. Undefined when the locale names none.
 */
export function localeCountry(
  languages: readonly string[] = navigator.languages,
): string | undefined {
  const known = new Set<string>(getCountries());
  for (const language of languages) {
    try {
      const region = new Intl.Locale(language).maximize().region;
      if (region && known.has(region)) return region;
    } catch {
      // Not a valid language tag: try the next one.
    }
  }
  return undefined;
}

/** Every country libphonenumber knows, as [code, name in the UI's language], sorted by name. */
export function countryOptions(): Array<[string, string]> {
  const names = new Intl.DisplayNames(navigator.languages, { type: 'region' });
  return getCountries()
    .map((code): [string, string] => [code, names.of(code) ?? code])
    .sort((a, b) => a[1].localeCompare(b[1]));
}
