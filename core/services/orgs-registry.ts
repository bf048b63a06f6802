// The app's orgs: profiles, their secrets and signed-in sessions, for the `orgs:*` and every
// other service. Over 300 lines on purpose: the rules that bind a secret to its org (a changed
// host or client id clears it; plain http only for loopback) must live beside the profile
// edits they guard (README, Security).
import type {
  ConnectionReport,
  OrgInput,
  OrgSummary,
  OrgUpdate,
  SecretStorageInfo,
} from '../contract';
import { ContractError } from '../contract';
import type { CachingTokenSource } from '../genesys/cached-token-source';
import { ConnectionTestError, testConnection } from '../genesys/connection-test';
import { profileIdFor, type OrgProfile, type ProfileRegion } from '../store/org-profile';
import { createConfProfileStore, type ProfileStore } from '../store/profile-store';
import type { SecretStore } from '../store/secret-store';
import {
  clientCredentialsSource,
  connectProfile,
  pkceSource,
  SANDBOX_ORG_ID,
  sandboxProfileFor,
  summariseProfile,
  type OrgConnection,
  type SandboxLink,
  type Session,
} from './orgs-sessions';
import {
  contractCode,
  isBuiltInSandboxAddress,
  noBuiltInSandboxMessage,
  parseProfile,
  placement,
  toContractError,
} from './orgs-support';

export { SANDBOX_ORG_ID, type OrgConnection, type SandboxLink } from './orgs-sessions';

/** How the app shell, the web host or the CLI builds the registry. */
export interface OrgRegistryOptions {
  dataFolder: string;
  secretStore: SecretStore;
  /** Shown by `orgs:secretStorage` when the keychain is not in use (from `openSecretStore`). */
  secretWarning?: string | undefined;
  /** The in-process simulator: adds the built-in Sandbox org, signed in with its demo client. */
  sandbox?: SandboxLink | undefined;
  /** Opens a URL in the system browser (PKCE). Without it, PKCE sign-in is refused. */
  openBrowser?: (url: string) => Promise<void> | void;
  /** Replaces the conf-backed store (tests, electron-store). */
  profileStore?: ProfileStore;
  /** PKCE wait for the browser, in ms (default 5 minutes). */
  pkceTimeoutMs?: number;
}

/**
 * Every org Sluice knows: saved profiles plus the built-in Sandbox, each with its own in-memory
 * sign-in session, so several orgs are signed in at once and independently. Secrets go to the
 * secret store and tokens stay in memory; neither is ever part of an {@link OrgSummary}.
 * Methods throw `ContractError`s with actionable messages.
 */
export class OrgRegistry {
  private readonly profiles: ProfileStore;
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: OrgRegistryOptions) {
    this.profiles = options.profileStore ?? createConfProfileStore(options.dataFolder);
  }

  /** Where secrets are kept, for the notice on the Orgs screen. */
  secretStorage(): SecretStorageInfo {
    const store = this.options.secretStore;
    return {
      kind: store.kind,
      persistent: store.persistent,
      description: store.description,
      ...(this.options.secretWarning ? { warning: this.options.secretWarning } : {}),
    };
  }

  /** The Sandbox first (when running), then the saved profiles by name. */
  async list(): Promise<OrgSummary[]> {
    const sandbox = this.sandboxProfile();
    const saved = await Promise.all(
      this.profiles.list().map((profile) => this.summarise(this.followSandbox(profile))),
    );
    return sandbox ? [await this.summarise(sandbox), ...saved] : saved;
  }

  async get(id: string): Promise<OrgSummary> {
    return this.summarise(this.profile(id));
  }

  /** Saves a new profile (and its secret, in the secret store). */
  async add(input: OrgInput): Promise<OrgSummary> {
    const taken = new Set([SANDBOX_ORG_ID, ...this.profiles.list().map((profile) => profile.id)]);
    const now = new Date().toISOString();
    const profile = this.validProfile({
      id: profileIdFor(input.name, taken),
      name: input.name,
      ...this.placement(input.region, input.apiUrl),
      authMethod: input.authMethod,
      clientId: input.clientId,
      ...(input.redirectPort === undefined ? {} : { redirectPort: input.redirectPort }),
      createdAt: now,
      updatedAt: now,
    });
    if (input.clientSecret !== undefined) await this.storeSecret(profile.id, input.clientSecret);
    this.profiles.save(profile);
    return this.summarise(profile);
  }

  /** Changes a profile; any change to where or how it signs in ends the current session. */
  async update(update: OrgUpdate): Promise<OrgSummary> {
    const current = this.editableProfile(update.id);
    const region = update.region ?? current.region;
    const { redirectPort: _, atBuiltInSandbox: __, ...rest } = current;
    const redirectPort =
      update.redirectPort === null ? undefined : (update.redirectPort ?? current.redirectPort);
    const next = this.validProfile({
      ...rest,
      name: update.name ?? current.name,
      ...this.placement(
        region,
        update.apiUrl ?? (region === 'custom' ? current.apiUrl : undefined),
        current,
      ),
      authMethod: update.authMethod ?? current.authMethod,
      clientId: update.clientId ?? current.clientId,
      ...(redirectPort === undefined ? {} : { redirectPort }),
      updatedAt: new Date().toISOString(),
    });
    const secretTarget =
      next.region !== current.region ||
      next.apiUrl !== current.apiUrl ||
      next.clientId !== current.clientId;
    if (update.clientSecret !== undefined) await this.storeSecret(next.id, update.clientSecret);
    // A secret is bound to the host and client it was given for: never send it elsewhere.
    else if (secretTarget) await this.forgetSecret(next.id);
    this.profiles.save(next);
    const signInChanged =
      next.region !== current.region ||
      next.apiUrl !== current.apiUrl ||
      next.authMethod !== current.authMethod ||
      next.clientId !== current.clientId ||
      update.clientSecret !== undefined;
    if (signInChanged) this.endSession(next.id);
    return this.summarise(next);
  }

  /** Forgets the profile, its secret and its session. */
  async remove(id: string): Promise<boolean> {
    if (id === SANDBOX_ORG_ID) {
      throw new ContractError('conflict', 'The built-in Sandbox org cannot be removed.');
    }
    this.endSession(id);
    const removed = this.profiles.remove(id);
    await this.options.secretStore.delete(id).catch((error: unknown) => {
      throw new ContractError(
        'unavailable',
        `${messageOf(error)} The org was removed; its secret may remain in the keychain.`,
      );
    });
    return removed;
  }

  /** Signs in (client credentials: fetch a token; PKCE: browser round trip), replacing any session. */
  async signIn(id: string): Promise<OrgSummary> {
    const profile = this.profile(id);
    this.endSession(id);
    const session: Session = { status: 'signing-in' };
    this.sessions.set(id, session);
    session.pending = this.completeSignIn(profile, session);
    return session.pending;
  }

  private async completeSignIn(profile: OrgProfile, session: Session): Promise<OrgSummary> {
    try {
      if (profile.atBuiltInSandbox && !this.options.sandbox) {
        throw new ContractError('unavailable', noBuiltInSandboxMessage(profile.name));
      }
      const tokens =
        profile.authMethod === 'pkce'
          ? await this.pkceTokens(profile, session)
          : await this.clientCredentialTokens(profile);
      await tokens.getAccessToken();
      if (this.sessions.get(profile.id) !== session)
        throw new ContractError('conflict', `Sign-in to ${profile.name} was replaced.`);
      session.connection = connectProfile(profile, tokens);
      session.status = 'signed-in';
      session.message = undefined;
    } catch (error) {
      session.status = 'error';
      session.message = error instanceof Error ? error.message : String(error);
      session.connection = undefined;
      throw toContractError(error, profile.name, 'sign in');
    } finally {
      session.cancel = undefined;
      session.pending = undefined;
    }
    return this.summarise(profile);
  }

  /** Stops a PKCE sign-in that waits for the browser. */
  async cancelSignIn(id: string): Promise<OrgSummary> {
    const profile = this.profile(id);
    this.sessions.get(id)?.cancel?.abort();
    return this.summarise(profile);
  }

  async signOut(id: string): Promise<OrgSummary> {
    const profile = this.profile(id);
    this.endSession(id);
    return this.summarise(profile);
  }

  /**
   * The org's connection for the engine and the list browser. A client-credentials org signs in
   * on first use; a PKCE org must have been signed in by the person.
   */
  async connection(id: string): Promise<OrgConnection> {
    const current = this.sessions.get(id);
    if (current?.connection) return current.connection;
    const profile = this.profile(id);
    // Concurrent first calls (list search + list detail) share one sign-in.
    if (current?.pending) {
      await current.pending;
      if (current.connection) return current.connection;
    }
    if (profile.authMethod === 'pkce') {
      throw new ContractError(
        'unauthorized',
        `Sign in to ${profile.name} first (it uses a personal sign-in).`,
      );
    }
    await this.signIn(id);
    const connection = this.sessions.get(id)?.connection;
    if (!connection)
      throw new ContractError('unauthorized', `Sign-in to ${profile.name} did not complete.`);
    return connection;
  }

  /** Test connection: sign in, org identity, list permission, limits. */
  async test(id: string): Promise<ConnectionReport> {
    const profile = this.profile(id);
    const connection = await this.connection(id);
    try {
      const report = await testConnection(connection.api, { orgId: id, apiUrl: connection.apiUrl });
      const session = this.sessions.get(id);
      if (session) {
        session.genesysOrgName = report.genesysOrgName;
        session.genesysOrgId = report.genesysOrgId;
      }
      return report;
    } catch (error) {
      if (error instanceof ConnectionTestError) {
        throw new ContractError(contractCode(error.kind), error.message, error.detail);
      }
      throw toContractError(error, profile.name, 'test the connection');
    }
  }

  /** Ends every session (app quit). */
  signOutAll(): void {
    for (const id of [...this.sessions.keys()]) this.endSession(id);
  }

  private async clientCredentialTokens(profile: OrgProfile): Promise<CachingTokenSource> {
    const secret =
      profile.id === SANDBOX_ORG_ID
        ? this.options.sandbox?.orgs[0]?.clientSecret
        : await this.options.secretStore.get(profile.id);
    return clientCredentialsSource(profile, secret, this.options.secretStore.persistent);
  }

  private pkceTokens(profile: OrgProfile, session: Session): Promise<CachingTokenSource> {
    session.cancel = new AbortController();
    return pkceSource(profile, {
      openBrowser: this.options.openBrowser,
      signal: session.cancel.signal,
      timeoutMs: this.options.pkceTimeoutMs,
    });
  }

  /** Stores a secret, turning a keychain refusal into an `unavailable` error the UI shows. */
  /** Deletes a stored secret; the profile then says a secret is needed before sign-in. */
  private async forgetSecret(id: string): Promise<void> {
    await this.options.secretStore.delete(id).catch((error: unknown) => {
      throw new ContractError(
        'unavailable',
        `${messageOf(error)} Nothing was changed: the old secret could not be removed.`,
      );
    });
  }

  private async storeSecret(id: string, secret: string): Promise<void> {
    try {
      await this.options.secretStore.set(id, secret);
    } catch (error) {
      throw new ContractError('unavailable', messageOf(error));
    }
  }

  private endSession(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.cancel?.abort();
    session.connection?.tokens.clear();
    this.sessions.delete(id);
  }

  private profile(id: string): OrgProfile {
    const saved = this.profiles.get(id);
    const profile =
      id === SANDBOX_ORG_ID ? this.sandboxProfile() : saved && this.followSandbox(saved);
    if (!profile)
      throw new ContractError(
        'not-found',
        `No org "${id}" is set up. Add it on the Orgs screen or with "sluice orgs add".`,
      );
    return profile;
  }

  private editableProfile(id: string): OrgProfile {
    if (id === SANDBOX_ORG_ID)
      throw new ContractError('conflict', 'The built-in Sandbox org cannot be edited.');
    return this.profile(id);
  }

  /**
   * Where a profile's calls go at this launch: an org of the built-in Sandbox is at the
   * Sandbox's address now, not where it was when saved (that port is chosen at every launch).
   */
  private followSandbox(profile: OrgProfile): OrgProfile {
    const sandbox = this.options.sandbox;
    return profile.atBuiltInSandbox && sandbox ? { ...profile, apiUrl: sandbox.url } : profile;
  }

  /**
   * Checks the region and base URL (see `placement`) and marks a base URL that is the built-in
   * Sandbox's at this launch, so the org follows the Sandbox to its next address. Without a
   * Sandbox in this process (the CLI), an org of it keeps its mark while its URL is unchanged.
   */
  private placement(
    region: string,
    apiUrl: string | undefined,
    current?: OrgProfile,
  ): { region: ProfileRegion; apiUrl?: string; atBuiltInSandbox?: true } {
    const placed = placement(region, apiUrl);
    if (!placed.apiUrl) return placed;
    const sandbox = this.options.sandbox;
    const atSandbox = sandbox
      ? isBuiltInSandboxAddress(placed.apiUrl, sandbox.url)
      : current?.atBuiltInSandbox === true && placed.apiUrl === current.apiUrl;
    return atSandbox ? { ...placed, atBuiltInSandbox: true } : placed;
  }

  private validProfile(candidate: Record<string, unknown>): OrgProfile {
    return parseProfile(candidate);
  }

  private sandboxProfile(): OrgProfile | undefined {
    return this.options.sandbox ? sandboxProfileFor(this.options.sandbox) : undefined;
  }

  private async summarise(profile: OrgProfile): Promise<OrgSummary> {
    const builtIn = profile.id === SANDBOX_ORG_ID;
    const hasSecret =
      profile.authMethod === 'client-credentials' &&
      (builtIn ||
        (await this.options.secretStore.get(profile.id).catch(() => undefined)) !== undefined);
    return summariseProfile(profile, this.sessions.get(profile.id), { builtIn, hasSecret });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
