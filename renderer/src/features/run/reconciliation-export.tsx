import { useState } from 'react';
import { useApi } from '../../api/context';
import { writeWithConfirm } from '../../components/confirm-overwrite';
import { useConfirm } from '../../components/confirm-dialog';
import { ActionOutcome } from '../../components/action-outcome';
import { PathField } from '../../components/path-field';
import { useBusyAction } from '../../components/use-busy-action';
import { countOf } from '../../../../core/text/count';

/**
 * "Export reconciliation": one row per source row (CRM id, Genesys contact id, outcome, reason)
 * so a consultant can join Genesys contacts back to their CRM. A path ending in .xlsx gives a
 * workbook; an existing file is replaced only after asking.
 */
export function ReconciliationExport({ runId }: { runId: string }) {
  const api = useApi();
  const confirm = useConfirm();
  const [path, setPath] = useState('');
  const [message, setMessage] = useState<string>();
  const { busy, error, run } = useBusyAction();

  const exportNow = () =>
    run(async () => {
      setMessage(undefined);
      const written = await writeWithConfirm(
        (overwrite) =>
          api.invoke('runs:exportReconciliation', { runId, path: path.trim(), overwrite }),
        confirm,
      );
      setMessage(
        written
          ? `Wrote ${countOf(written.rows, 'row')} to ${written.path}. Contact ids: ${written.idFrom}.`
          : 'Nothing written.',
      );
    });

  return (
    <div className="reconciliation-export">
      <PathField
        label="Export reconciliation (.csv, or .xlsx for a workbook)"
        purpose="save-csv"
        value={path}
        onChange={setPath}
        placeholder="/path/to/reconciliation.xlsx"
      />
      <button type="button" disabled={busy || !path.trim()} onClick={() => void exportNow()}>
        {busy ? 'Exporting…' : 'Export reconciliation'}
      </button>
      <ActionOutcome message={message} error={error} />
    </div>
  );
}
