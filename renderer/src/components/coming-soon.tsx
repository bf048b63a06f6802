/** Stands in for a screen whose feature has not landed yet, and says which issue brings it. */
export function ComingSoon({ issue, what }: { issue: number; what: string }) {
  return (
    <div className="notice" role="note">
      <strong>Not available yet.</strong> {what} This screen arrives with issue #{issue}; until
      then, use the <code>sluice</code> command line.
    </div>
  );
}
