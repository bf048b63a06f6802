import { useState, type FormEvent } from 'react';
import type { ConnectionReport, OrgSummary } from '../../../core/contract';
import { useApi, useCall } from '../api/context';
import { ErrorText, messageOf } from '../components/error-text';
import { Screen } from '../components/screen';

type AuthMethod = OrgSummary['authMethod'];

/** The add/edit form's fields. The secret field is write-only: empty means "keep the stored one". */
interface OrgDraft {
  id?: string;
  name: string;
  region: string;
  apiUrl: string;
  authMethod: AuthMethod;
  clientId: string;
  clientSecret: string;
  redirectPort: string;
}

const emptyDraft: OrgDraft = {
  name: '',
  region: 'eu_west_1',
  apiUrl: '',
  authMethod: 'client-credentials',
  clientId: '',
  clientSecret: '',
  redirectPort: '',
};

const statusLabels: Record<OrgSummary['status'], string> = {
  'signed-out': 'Signed out',
  'signing-in': 'Signing in…',
  'signed-in': 'Signed in',
  error: 'Problem',
};

/** Orgs the consultant works with: add, edit, remove, test, sign in and out, status per org. */
export function OrgsScreen() {
  const api = useApi();
  const orgs = useCall('orgs:list', {});
  const storage = useCall('orgs:secretStorage', {});
  const [draft, setDraft] = useState<OrgDraft | undefined>();
  const [busy, setBusy] = useState<Record<string, string>>({});
  const [reports, setReports] = useState<Record<string, ConnectionReport>>({});
  const [error, setError] = useState<string>();

  /** Runs one action on an org, shows its progress on the row, then reloads the list. */
  const act = async (org: OrgSummary, label: string, work: () => Promise<unknown>) => {
    setError(undefined);
    setBusy((current) => ({ ...current, [org.id]: label }));
    // Show "Signing in…" right away: a PKCE sign-in waits for the browser.
    if (label === 'Signing in…') setTimeout(orgs.reload, 300);
    try {
      await work();
    } catch (caught) {
      setError(`${org.name}: ${messageOf(caught)}`);
    } finally {
      setBusy(({ [org.id]: _, ...rest }) => rest);
      orgs.reload();
    }
  };

  const test = (org: OrgSummary) =>
    act(org, 'Testing…', async () => {
      const report = await api.invoke('orgs:test', { id: org.id });
      setReports((current) => ({ ...current, [org.id]: report }));
    });

  return (
    <Screen
      title="Orgs"
      intro="The Genesys Cloud orgs Sluice signs in to. Secrets go to the OS keychain; tokens stay in memory."
    >
      {storage.data?.warning && (
        <p className="notice" role="note" data-testid="secret-storage-warning">
          <strong>
            {storage.data.persistent ? 'Note:' : 'Secrets kept for this session only.'}
          </strong>{' '}
          {storage.data.warning}
        </p>
      )}
      <ErrorText error={orgs.error ?? error} />
      {orgs.loading && !orgs.data && <p aria-busy="true">Loading orgs…</p>}
      {orgs.data && (
        <table className="data" data-testid="orgs-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Region</th>
              <th scope="col">Sign-in</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {orgs.data.map((org) => (
              <tr key={org.id} data-testid={`org-${org.id}`}>
                <td>
                  {org.name} {org.builtIn && <span className="badge">built-in</span>}
                  {org.genesysOrgName && (
                    <div className="muted">Genesys org: {org.genesysOrgName}</div>
                  )}
                </td>
                <td>{org.region === 'custom' ? org.apiUrl : org.region}</td>
                <td>
                  {org.authMethod === 'pkce' ? 'Person (browser)' : 'Client credentials'}
                  <div className="muted">
                    {org.clientId}
                    {org.authMethod === 'client-credentials' &&
                      !org.hasSecret &&
                      ' · no secret stored'}
                  </div>
                </td>
                <td>
                  <span
                    className={
                      org.status === 'signed-in'
                        ? 'badge badge-ok'
                        : org.status === 'error'
                          ? 'badge badge-warn'
                          : 'badge'
                    }
                  >
                    {busy[org.id] ?? statusLabels[org.status]}
                  </span>
                  {org.statusMessage && <div className="muted">{org.statusMessage}</div>}
                  {org.tokenExpiresAt && (
                    <div className="muted">
                      Token until {new Date(org.tokenExpiresAt).toLocaleTimeString()}
                    </div>
                  )}
                </td>
                <td>
                  <div className="actions">
                    {org.status === 'signing-in' ? (
                      <button
                        type="button"
                        onClick={() =>
                          void act(org, 'Cancelling…', () =>
                            api.invoke('orgs:cancelSignIn', { id: org.id }),
                          )
                        }
                      >
                        Cancel sign-in
                      </button>
                    ) : org.status === 'signed-in' ? (
                      <button
                        type="button"
                        disabled={!!busy[org.id]}
                        onClick={() =>
                          void act(org, 'Signing out…', () =>
                            api.invoke('orgs:signOut', { id: org.id }),
                          )
                        }
                      >
                        Sign out
                      </button>
                    ) : (
                      <button
                        type="button"
                        disabled={!!busy[org.id]}
                        onClick={() =>
                          void act(org, 'Signing in…', () =>
                            api.invoke('orgs:signIn', { id: org.id }),
                          )
                        }
                      >
                        Sign in
                      </button>
                    )}
                    <button type="button" disabled={!!busy[org.id]} onClick={() => void test(org)}>
                      Test connection
                    </button>
                    {!org.builtIn && (
                      <>
                        <button type="button" onClick={() => setDraft(draftOf(org))}>
                          Edit
                        </button>
                        <button
                          type="button"
                          disabled={!!busy[org.id]}
                          onClick={() => {
                            if (window.confirm(`Remove ${org.name} and delete its stored secret?`))
                              void act(org, 'Removing…', () =>
                                api.invoke('orgs:remove', { id: org.id }),
                              );
                          }}
                        >
                          Remove
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {Object.entries(reports).map(([id, report]) => (
        <ReportPanel
          key={id}
          name={orgs.data?.find((org) => org.id === id)?.name ?? id}
          report={report}
        />
      ))}
      {draft ? (
        <OrgForm
          draft={draft}
          onCancel={() => setDraft(undefined)}
          onSaved={() => (setDraft(undefined), orgs.reload())}
        />
      ) : (
        <button type="button" className="primary" onClick={() => setDraft(emptyDraft)}>
          Add an org
        </button>
      )}
    </Screen>
  );
}

function draftOf(org: OrgSummary): OrgDraft {
  return {
    id: org.id,
    name: org.name,
    region: org.region,
    apiUrl: org.region === 'custom' ? org.apiUrl : '',
    authMethod: org.authMethod,
    clientId: org.clientId ?? '',
    clientSecret: '',
    redirectPort: org.redirectPort === undefined ? '' : String(org.redirectPort),
  };
}

/** What "Test connection" found: the org's identity, the list permission, its limits. */
function ReportPanel({ name, report }: { name: string; report: ConnectionReport }) {
  return (
    <section
      className="step"
      aria-label={`Connection test of ${name}`}
      data-testid={`report-${report.orgId}`}
    >
      <h2>
        {name}: connected to “{report.genesysOrgName}”
      </h2>
      <p className="muted">
        Org id {report.genesysOrgId} · {report.apiUrl} · checked{' '}
        {new Date(report.checkedAt).toLocaleTimeString()}
      </p>
      <p>
        {report.canViewContactLists ? (
          <span className="badge badge-ok">
            Contact lists visible ({report.contactListCount ?? '?'})
          </span>
        ) : (
          <span className="badge badge-warn">{report.permissionMessage}</span>
        )}
      </p>
      {report.limits.length > 0 && (
        <table className="data compact">
          <caption className="muted">Limits published by the org</caption>
          <tbody>
            {report.limits.map((limit) => (
              <tr key={`${limit.namespace}/${limit.key}`}>
                <td>{limit.namespace}</td>
                <td>{limit.key}</td>
                <td>{limit.value.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.limitsMessage && <p className="muted">{report.limitsMessage}</p>}
    </section>
  );
}

/** Add or edit one org. The secret is sent once and never shown again. */
function OrgForm({
  draft,
  onCancel,
  onSaved,
}: {
  draft: OrgDraft;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const api = useApi();
  const regions = useCall('orgs:regions', {});
  const [form, setForm] = useState(draft);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<OrgDraft>) => setForm((current) => ({ ...current, ...patch }));
  const editing = form.id !== undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    const common = {
      name: form.name,
      region: form.region,
      ...(form.region === 'custom' ? { apiUrl: form.apiUrl } : {}),
      authMethod: form.authMethod,
      clientId: form.clientId,
      ...(form.authMethod === 'client-credentials' && form.clientSecret
        ? { clientSecret: form.clientSecret }
        : {}),
    };
    const port =
      form.authMethod === 'pkce' && form.redirectPort ? Number(form.redirectPort) : undefined;
    try {
      if (form.id)
        await api.invoke('orgs:update', { id: form.id, ...common, redirectPort: port ?? null });
      else
        await api.invoke('orgs:add', {
          ...common,
          ...(port === undefined ? {} : { redirectPort: port }),
        });
      onSaved();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="step"
      onSubmit={(event) => void submit(event)}
      aria-label={editing ? 'Edit org' : 'Add an org'}
    >
      <h2>{editing ? `Edit ${draft.name}` : 'Add an org'}</h2>
      <div className="field">
        <label htmlFor="org-name">Display name</label>
        <input
          id="org-name"
          required
          value={form.name}
          onChange={(e) => set({ name: e.target.value })}
          placeholder="Acme EU (prod)"
        />
      </div>
      <div className="field">
        <label htmlFor="org-region">Region</label>
        <select
          id="org-region"
          value={form.region}
          onChange={(e) => set({ region: e.target.value })}
        >
          {(regions.data ?? []).map((region) => (
            <option key={region.region} value={region.region}>
              {region.label} — {region.region}
            </option>
          ))}
          <option value="custom">Custom base URL (sandbox, proxy)</option>
        </select>
      </div>
      {form.region === 'custom' && (
        <div className="field">
          <label htmlFor="org-url">Base URL</label>
          <input
            id="org-url"
            required
            value={form.apiUrl}
            onChange={(e) => set({ apiUrl: e.target.value })}
            placeholder="http://127.0.0.1:4100"
          />
        </div>
      )}
      <fieldset className="field">
        <legend>Sign-in</legend>
        <label>
          <input
            type="radio"
            name="auth"
            checked={form.authMethod === 'client-credentials'}
            onChange={() => set({ authMethod: 'client-credentials' })}
          />{' '}
          OAuth client (client credentials)
        </label>{' '}
        <label>
          <input
            type="radio"
            name="auth"
            checked={form.authMethod === 'pkce'}
            onChange={() => set({ authMethod: 'pkce' })}
          />{' '}
          A person signs in in the browser (PKCE)
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="org-client">Client id</label>
        <input
          id="org-client"
          required
          value={form.clientId}
          spellCheck={false}
          onChange={(e) => set({ clientId: e.target.value })}
        />
      </div>
      {form.authMethod === 'client-credentials' ? (
        <div className="field">
          <label htmlFor="org-secret">Client secret</label>
          <input
            id="org-secret"
            type="password"
            autoComplete="off"
            required={!editing}
            value={form.clientSecret}
            placeholder={editing ? 'Leave empty to keep the stored secret' : ''}
            onChange={(e) => set({ clientSecret: e.target.value })}
          />
        </div>
      ) : (
        <div className="field">
          <label htmlFor="org-port">
            Redirect port (only if the OAuth client needs a fixed one)
          </label>
          <input
            id="org-port"
            inputMode="numeric"
            value={form.redirectPort}
            onChange={(e) => set({ redirectPort: e.target.value.replace(/\D/g, '') })}
            placeholder="random"
          />
        </div>
      )}
      <ErrorText error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : editing ? 'Save changes' : 'Add org'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
