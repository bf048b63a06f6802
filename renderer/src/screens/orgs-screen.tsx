import { useCall } from '../api/context';
import { Screen } from '../components/screen';
import { ComingSoon } from '../components/coming-soon';

/** Orgs the consultant works with, and whether each is signed in. */
export function OrgsScreen() {
  const orgs = useCall('orgs:list', {});
  return (
    <Screen title="Orgs" intro="The Genesys Cloud orgs Sluice can sign in to.">
      {orgs.error && <p role="alert">{orgs.error}</p>}
      {orgs.loading && !orgs.data && <p aria-busy="true">Loading orgs…</p>}
      {orgs.data && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Region</th>
              <th scope="col">Sign-in</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {orgs.data.map((org) => (
              <tr key={org.id}>
                <td>
                  {org.name} {org.builtIn && <span className="badge">built-in</span>}
                </td>
                <td>{org.region === 'custom' ? org.apiUrl : org.region}</td>
                <td>{org.authMethod === 'pkce' ? 'Person (browser)' : 'Client credentials'}</td>
                <td>
                  {org.status}
                  {org.statusMessage && <div className="muted">{org.statusMessage}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ComingSoon issue={6} what="Adding, testing and signing in to your own orgs." />
    </Screen>
  );
}
