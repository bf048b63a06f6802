/** Shows a failed call's message (already written for a consultant by the services). */
export function ErrorText({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

/** The message of whatever a failed `invoke` threw. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
