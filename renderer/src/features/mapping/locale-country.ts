import { useEffect, useState } from 'react';

/**
 * The country codes libphonenumber knows, loaded on first use: its metadata (about 80 kB) is a
 * chunk of its own, so the app's first screen does not wait for it.
 */
let countryCodes: Promise<readonly string[]> | undefined;
function loadCountryCodes(): Promise<readonly string[]> {
  countryCodes ??= import('libphonenumber-js/min').then((module) => module.getCountries());
  return countryCodes;
}

/**
 * The country of this computer's language setting (`en-GB` → GB), used as the default country
 * for phone numbers written without a +country prefix. Undefined when the locale names none.
 */
export async function localeCountry(
  languages: readonly string[] = navigator.languages,
): Promise<string | undefined> {
  const known = new Set<string>(await loadCountryCodes());
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
export async function countryOptions(): Promise<Array<[string, string]>> {
  const names = new Intl.DisplayNames(navigator.languages, { type: 'region' });
  return (await loadCountryCodes())
    .map((code): [string, string] => [code, names.of(code) ?? code])
    .sort((a, b) => a[1].localeCompare(b[1]));
}

/** `countryOptions()` for a component: empty until the list has loaded. */
export function useCountryOptions(): Array<[string, string]> {
  const [options, setOptions] = useState<Array<[string, string]>>([]);
  useEffect(() => {
    let live = true;
    void countryOptions().then((loaded) => live && setOptions(loaded));
    return () => {
      live = false;
    };
  }, []);
  return options;
}
