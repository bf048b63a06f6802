import { useEffect, useRef, useState } from 'react';
import type { ConnectionReport, OrgSummary } from '../../../core/contract';
import { useApi, useCall } from '../api/context';
import { ErrorText, messageOf } from '../components/error-text';
import { useConfirm } from '../components/confirm-dialog';
import { Screen } from '../components/screen';
import { draftOf, emptyDraft, OrgForm, type OrgDraft } from '../features/orgs/org-form';
import { ReportPanel } from '../features/orgs/report-panel';

const statusLabels: Record<OrgSummary['status'], string> = {
  'signed-out': 'Signed out',
  'signing-in': 'Signing in…',
  'signed-in': 'Signed in',
  error: 'Problem',
};

/** Orgs the consultant works with: add, edit, remove, test, sign in and out, status per org. */
export function OrgsScreen() {
  const api = useApi();
  const confirm = useConfirm();
  const orgs = useCall('orgs:list', {});
  const storage = useCall('orgs:secretStorage', {});
  const [draft, setDraft] = useState<OrgDraft | undefined>();
  const [busy, setBusy] = useState<Record<string, string>>({});
  const [reports, setReports] = useState<Record<string, ConnectionReport>>({});
  const [error, setError] = useState<string>();
  // When the add/edit form closes, the keyboard goes back to the button that opened it (Edit on
  // its row), or to Add an org when that button is gone, not to the top of the page.
  const opener = useRef<HTMLElement | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  const openForm = (next: OrgDraft) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDraft(next);
  };
  const closeForm = () => {
    refocus.current = true;
    setDraft(undefined);
  };
  useEffect(() => {
    if (draft || !refocus.current) return;
    refocus.current = false;
    const back = opener.current?.isConnected ? opener.current : addButton.current;
    back?.focus();
  }, [draft]);

  /** Runs one action on an org, shows its progress on the row, then reloads the list. */
  const act = async (
    org: OrgSummary,
    label: string,
    work: () => Promise<unknown>,
    { waitsForBrowser = false }: { waitsForBrowser?: boolean } = {},
  ) => {
    setError(undefined);
    setBusy((current) => ({ ...current, [org.id]: label }));
    // A PKCE sign-in waits for the browser: show the org's "signing in" state right away.
    if (waitsForBrowser) setTimeout(orgs.reload, 300);
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
      {orgs.data && orgs.data.every((org) => org.builtIn) && (
        <p className="notice first-steps" role="note" data-testid="first-steps">
          <strong>New here? Try the Sandbox first.</strong> It is a local copy of the Genesys Cloud
          API with no credentials needed: open <strong>Upload</strong> (Alt+4), choose the “Webinar
          follow-up” list, press <em>Use a sample file</em>, and watch a throttled run. Add your
          customers’ orgs below when you are ready.
        </p>
      )}
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
        // At 1024 wide the buttons in one line made the table wider than the room beside the
        // sidebar: the page scrolled sideways. They wrap now, and the table would scroll in
        // its own box, never the page.
        <div className="table-x">
          <table className="data sticky-actions" data-testid="orgs-table">
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
                        Token until{' '}
                        {new Date(org.tokenExpiresAt).toLocaleString(undefined, {
                          dateStyle: 'medium',
                          timeStyle: 'short',
                        })}
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
                            void act(
                              org,
                              'Signing in…',
                              () => api.invoke('orgs:signIn', { id: org.id }),
                              { waitsForBrowser: org.authMethod === 'pkce' },
                            )
                          }
                        >
                          Sign in
                        </button>
                      )}
                      <button
                        type="button"
                        disabled={!!busy[org.id]}
                        onClick={() => void test(org)}
                      >
                        Test connection
                      </button>
                      {!org.builtIn && (
                        <>
                          <button type="button" onClick={() => openForm(draftOf(org))}>
                            Edit
                          </button>
                          <button
                            type="button"
                            disabled={!!busy[org.id]}
                            onClick={() =>
                              void confirm({
                                title: `Remove ${org.name}?`,
                                detail:
                                  'Sluice signs out of it, forgets it and deletes its stored secret from this computer. Its runs stay in History (resuming one needs the org added again). Nothing changes in Genesys Cloud.',
                                confirmLabel: 'Remove org',
                                cancelLabel: 'Keep it',
                                destructive: true,
                              }).then((yes) => {
                                if (yes)
                                  void act(org, 'Removing…', () =>
                                    api.invoke('orgs:remove', { id: org.id }),
                                  );
                              })
                            }
                          >
                            Remove…
                          </button>
                        </>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
          sandboxUrl={orgs.data?.find((org) => org.builtIn)?.apiUrl}
          onCancel={closeForm}
          onSaved={() => (closeForm(), orgs.reload())}
        />
      ) : (
        <button
          ref={addButton}
          type="button"
          className="primary"
          onClick={() => openForm(emptyDraft)}
        >
          Add an org
        </button>
      )}
    </Screen>
  );
}
