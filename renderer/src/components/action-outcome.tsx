import { ErrorText } from './error-text';

/**
 * What a control's last action came to: a status line saying what it did (`message`), or the
 * error it failed with. Either may be absent; nothing shows before the first action.
 */
export function ActionOutcome({
  message,
  error,
}: {
  message: string | undefined;
  error: string | undefined;
}) {
  return (
    <>
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
      <ErrorText error={error} />
    </>
  );
}
