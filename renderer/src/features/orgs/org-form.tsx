import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { OrgSummary } from '../../../../core/contract';
import { useApi, useCall } from '../../api/context';
import { ErrorText, messageOf } from '../../components/error-text';
import { TextField } from '../../components/text-field';

type AuthMethod = OrgSummary['authMethod'];

/** The add/edit form's fields. The secret field is write-only: empty means "keep the stored one". */
export interface OrgDraft {
  id?: string;
  name: string;
  region: string;
  apiUrl: string;
  authMethod: AuthMethod;
  clientId: string;
  clientSecret: string;
  redirectPort: string;
}

export const emptyDraft: OrgDraft = {
  name: '',
  region: 'eu_west_1',
  apiUrl: '',
  authMethod: 'client-credentials',
  clientId: '',
  clientSecret: '',
  redirectPort: '',
};

/** The form's fields for an existing org (the secret stays empty: "keep the stored one"). */
export function draftOf(org: OrgSummary): OrgDraft {
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

/**
 * True when a typed base URL is the built-in Sandbox's address at this launch (127.0.0.1 and
 * localhost alike); the services decide for good when the org is saved.
 */
export function isSandboxAddress(apiUrl: string, sandboxUrl: string | undefined): boolean {
  const plain = (url: string) =>
    url.trim().toLowerCase().replace(/\/+$/, '').replace('//localhost:', '//127.0.0.1:');
  return sandboxUrl !== undefined && plain(apiUrl) === plain(sandboxUrl);
}

/**
 * Add or edit one org. The secret is sent once and never shown again. `sandboxUrl` is the
 * built-in Sandbox's address at this launch, to say that an org saved with it follows it.
 */
export function OrgForm({
  draft,
  sandboxUrl,
  onCancel,
  onSaved,
}: {
  draft: OrgDraft;
  sandboxUrl?: string | undefined;
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
  /** A text field's value in the draft and the handler that sets it. */
  const textOf = (key: 'name' | 'apiUrl' | 'clientId' | 'clientSecret') => ({
    value: form[key],
    onValue: (value: string) => set({ [key]: value }),
  });

  // Set when the connection test failed: the consultant may still keep the org (offline now).
  const [testFailed, setTestFailed] = useState(false);
  const submit = async (event: FormEvent | undefined, skipTest = false) => {
    event?.preventDefault();
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
      else {
        const added = await api.invoke('orgs:add', {
          ...common,
          ...(port === undefined ? {} : { redirectPort: port }),
        });
        // A client-credentials org is tested before it is kept: a wrong secret or URL is said
        // now, not at the first upload. (A PKCE org is tested when the person signs in.)
        if (form.authMethod === 'client-credentials' && !skipTest) {
          try {
            await api.invoke('orgs:test', { id: added.id });
          } catch (failed) {
            await api.invoke('orgs:remove', { id: added.id }).catch(() => undefined);
            setTestFailed(true);
            throw new Error(`Not added: the connection test failed. ${messageOf(failed)}`);
          }
        }
      }
      onSaved();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setSaving(false);
    }
  };

  // The keyboard follows the form: it starts in the first field (the button that opened the
  // form is gone), and after a test that failed it is back on the form's buttons, not at the
  // top of the page (the submit button was disabled under it while testing).
  const formRef = useRef<HTMLFormElement>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    formRef.current?.querySelector('input')?.focus();
  }, []);
  useEffect(() => {
    if (!saving && document.activeElement === document.body) submitButton.current?.focus();
  }, [saving]);

  return (
    <form
      ref={formRef}
      className="step"
      onSubmit={(event) => void submit(event)}
      aria-label={editing ? 'Edit org' : 'Add an org'}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !saving) {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <h2>{editing ? `Edit ${draft.name}` : 'Add an org'}</h2>
      <TextField label="Display name" required {...textOf('name')} placeholder="Acme EU (prod)" />
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
        <TextField
          label="Base URL"
          required
          {...textOf('apiUrl')}
          placeholder="http://127.0.0.1:4100"
        />
      )}
      {form.region === 'custom' && isSandboxAddress(form.apiUrl, sandboxUrl) && (
        <p className="notice" role="status" data-testid="sandbox-address">
          This is the built-in Sandbox org’s address, which changes at every launch: this org will
          follow the Sandbox to its new address each time (another tenant of the Sandbox, with its
          own client id and secret). The Sluice app runs that Sandbox; for the CLI, run one at a
          fixed address with “sluice sandbox --port 4100”.
        </p>
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
      <TextField label="Client id" required {...textOf('clientId')} spellCheck={false} />
      {form.authMethod === 'client-credentials' ? (
        <TextField
          label="Client secret"
          type="password"
          autoComplete="off"
          required={!editing}
          {...textOf('clientSecret')}
          placeholder={editing ? 'Leave empty to keep the stored secret' : ''}
        />
      ) : (
        <TextField
          label="Redirect port (only if the OAuth client needs a fixed one)"
          inputMode="numeric"
          value={form.redirectPort}
          onValue={(port) => set({ redirectPort: port.replace(/\D/g, '') })}
          placeholder="random"
        />
      )}
      <ErrorText error={error} />
      <div className="actions">
        <button ref={submitButton} type="submit" className="primary" disabled={saving}>
          {saving
            ? editing
              ? 'Saving…'
              : 'Testing the connection…'
            : editing
              ? 'Save changes'
              : 'Test and add org'}
        </button>
        {testFailed && !editing && (
          <button type="button" disabled={saving} onClick={() => void submit(undefined, true)}>
            Add without testing
          </button>
        )}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
