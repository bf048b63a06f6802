import type { ConnectionReport } from '../../../../core/contract';

/** What "Test connection" found: the org's identity, the list permission, its limits. */
export function ReportPanel({ name, report }: { name: string; report: ConnectionReport }) {
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
