import { resolveEndpoint } from '../../core/genesys/regions';
import { createConfProfileStore, defaultDataFolder, openSecretStore } from '../../core/store';

/** Where an upload goes and how it signs in (client credentials; the secret never hits disk). */
export interface UploadTarget {
  orgName: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  profileId?: string;
}

/**
 * Resolves `--org NAME` (a saved org profile + its secret from the keychain or
 * SLUICE_CLIENT_SECRET) or `--api-url URL --client-id ID` (secret in SLUICE_CLIENT_SECRET).
 * Throws a one-line message naming what is missing.
 */
export async function resolveUploadTarget(flags: {
  org?: string;
  apiUrl?: string;
  clientId?: string;
}): Promise<UploadTarget> {
  const envSecret = process.env.SLUICE_CLIENT_SECRET?.trim() || undefined;
  if (flags.org) {
    const store = createConfProfileStore(defaultDataFolder());
    const wanted = flags.org.toLowerCase();
    const profiles = store.list();
    const profile = profiles.find((p) => p.id === flags.org || p.name.toLowerCase() === wanted);
    if (!profile) {
      const names = profiles.map((p) => p.name).join(', ') || 'none saved yet';
      throw new Error(`No saved org named "${flags.org}" (saved orgs: ${names}).`);
    }
    if (profile.authMethod !== 'client-credentials') {
      throw new Error(
        `Org "${profile.name}" signs in with a browser (PKCE); the CLI needs a client-credentials org, or use --api-url and --client-id.`,
      );
    }
    const secret = envSecret ?? (await (await openSecretStore()).store.get(profile.id));
    if (!secret) {
      throw new Error(
        `No client secret for org "${profile.name}": sign in once in the app, or set SLUICE_CLIENT_SECRET.`,
      );
    }
    const apiUrl =
      profile.region === 'custom'
        ? resolveEndpoint({ apiUrl: profile.apiUrl ?? '' }).apiUrl
        : resolveEndpoint({ region: profile.region }).apiUrl;
    return {
      orgName: profile.name,
      apiUrl,
      clientId: profile.clientId,
      clientSecret: secret,
      profileId: profile.id,
    };
  }
  if (!flags.apiUrl || !flags.clientId) {
    throw new Error('Choose the org: --org NAME, or --api-url URL with --client-id ID.');
  }
  if (!envSecret) {
    throw new Error(
      'Set the OAuth client secret in the SLUICE_CLIENT_SECRET environment variable.',
    );
  }
  const apiUrl = resolveEndpoint({ apiUrl: flags.apiUrl }).apiUrl;
  return {
    orgName: new URL(apiUrl).host,
    apiUrl,
    clientId: flags.clientId,
    clientSecret: envSecret,
  };
}
