import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { FileCheck } from '../../../../core/contract';
import { useMappingSession, type MappingSession } from '../mapping/use-mapping-session';
import type { SheetMappings } from '../mapping/sheet-mappings';
import type { UploadTarget } from '../orgs/org-list-picker';
import { useFileCheckJob, type FileCheckJob } from './file-check-job';
import { defaultRunOptions, type RunOptions } from './run-options';
import {
  clearStoredForm,
  readStoredForm,
  writeStoredForm,
  type StoredUploadForm,
  type StoredUploadFormInput,
} from './stored-form';

/** The Upload screen's work in progress, kept while the consultant visits other screens. */
export interface UploadDraft {
  session: MappingSession;
  target?: UploadTarget;
  setTarget: (target: UploadTarget | undefined) => void;
  /** The org and list the picker starts from: the form's own, or the one kept across a reload. */
  initialTarget?: UploadTarget;
  /** Reads the file for the chosen list (with the mapping kept across a reload, if it is for it). */
  read: () => void;
  /** Why the form kept across a reload could not be restored whole, in a sentence. */
  restoreProblem?: string;
  options: RunOptions;
  setOptions: (options: RunOptions) => void;
  /** The whole-file check, with the key (file, mapping, list) it was run for. */
  check?: { key: string; result: FileCheck };
  setCheck: (check: { key: string; result: FileCheck } | undefined) => void;
  /** The whole-file check running now (it goes on while other screens are shown). */
  checkJob: FileCheckJob;
  /** The run this draft started, shown below the form until "New upload". */
  runId?: string;
  setRunId: (runId: string | undefined) => void;
  /** Starts over: empty form, no run shown (the run itself goes on, in the sidebar). */
  reset: () => void;
}

const DraftContext = createContext<UploadDraft | undefined>(undefined);
const RUN_KEY = 'sluice-upload-run';

/**
 * Holds the Upload screen's draft for the life of the window. The run id and the form (org, list,
 * file path, sheet, mapping and the other sheets' mappings, run options) are kept in
 * sessionStorage, so a reload, or a renderer that restarts, finds them again: the list is chosen
 * again, the file read again and the mappings put back (docs/ARCHITECTURE.md, "The Upload form across a reload").
 */
export function UploadDraftProvider({ children }: { children: ReactNode }) {
  const [generation, setGeneration] = useState(0);
  return (
    <DraftState key={generation} onReset={() => setGeneration((value) => value + 1)}>
      {children}
    </DraftState>
  );
}

function DraftState({ children, onReset }: { children: ReactNode; onReset: () => void }) {
  // The form kept for this window before a reload; read once (a new upload forgets it first).
  const [stored] = useState(() => readStoredForm(sessionStorage));
  const session = useMappingSession(stored?.csvPath ?? '');
  const [target, setTarget] = useState<UploadTarget>();
  const [options, setOptions] = useState<RunOptions>(() => stored?.options ?? defaultRunOptions);
  // A file read and mapped before the reload is still to be put back: it waits for its list to
  // be chosen again and the file to be read. Choosing another list drops it (a mapping is made
  // for one list).
  const [kept, setKept] = useState<StoredUploadForm | undefined>(
    stored?.target && stored.mapping ? stored : undefined,
  );
  const [restoreProblem, setRestoreProblem] = useState<string>();
  const restoreTried = useRef(false);
  const [check, setCheck] = useState<{ key: string; result: FileCheck }>();
  const checkJob = useFileCheckJob();
  const [runId, setRunIdState] = useState<string | undefined>(
    () => sessionStorage.getItem(RUN_KEY) ?? undefined,
  );
  const setRunId = (next: string | undefined) => {
    if (next) sessionStorage.setItem(RUN_KEY, next);
    else sessionStorage.removeItem(RUN_KEY);
    setRunIdState(next);
  };

  const keptFor = (chosen: UploadTarget) =>
    kept?.target?.orgId === chosen.orgId && kept.target.listId === chosen.listId ? kept : undefined;
  const read = (chosen: UploadTarget) => {
    const source = { kind: 'list', orgId: chosen.orgId, listId: chosen.listId } as const;
    const form = keptFor(chosen);
    if (!form?.mapping) return session.load(source);
    // The same file is compared with what it was; another path is read as a new file.
    const sameFile = form.csvPath.trim() === session.csvPath.trim();
    return session.load(source, sameFile ? form.sheet : undefined, {
      mapping: form.mapping,
      ...(sameFile && form.file ? { file: form.file } : {}),
      ...(sameFile && form.otherSheets ? { otherSheets: form.otherSheets } : {}),
    });
  };
  const readAndSettle = async (chosen: UploadTarget) => {
    const restoring = keptFor(chosen) !== undefined;
    if (await read(chosen)) {
      setKept(undefined);
      setRestoreProblem(undefined);
      return;
    }
    // A failed read of a form not kept across a reload says only what went wrong (session.error).
    if (!restoring) return;
    setRestoreProblem(
      'The file chosen before the reload could not be read again. The org, list, file path, mapping and run options are kept: put the file back (or correct its path) and read it again.',
    );
  };

  // The form as it stands is kept for the next reload; never a secret (the renderer has none).
  const shown = target ?? stored?.target;
  const inspection = session.inspection;
  const form: StoredUploadFormInput = {
    version: 2,
    ...(shown
      ? {
          target: {
            orgId: shown.orgId,
            orgName: shown.orgName,
            listId: shown.listId,
            listName: shown.listName,
          },
        }
      : {}),
    csvPath: session.csvPath,
    ...((session.sheet ?? kept?.sheet) ? { sheet: session.sheet ?? kept?.sheet } : {}),
    ...(inspection
      ? { file: { sizeBytes: inspection.sizeBytes, headers: inspection.headers } }
      : kept?.file
        ? { file: kept.file }
        : {}),
    ...((session.mapping ?? kept?.mapping) ? { mapping: session.mapping ?? kept?.mapping } : {}),
    ...otherSheetsKept(inspection ? session.otherSheets : kept?.otherSheets),
    options,
  };
  const formJson = JSON.stringify(form);
  useEffect(() => {
    writeStoredForm(sessionStorage, JSON.parse(formJson) as StoredUploadFormInput);
  }, [formJson]);

  const draft: UploadDraft = {
    session,
    target,
    setTarget: (next) => {
      if (next?.orgId === target?.orgId && next?.listId === target?.listId) return;
      if (next && kept && !keptFor(next)) {
        setKept(undefined);
        setRestoreProblem(undefined);
      }
      setTarget(next);
      setCheck(undefined);
      // The first list the picker reports after a reload: if it is the kept one, its file is read
      // again and the mapping put back, once (another list chosen first drops the kept form).
      if (next && !restoreTried.current) {
        restoreTried.current = true;
        if (keptFor(next)?.csvPath.trim()) void readAndSettle(next);
      }
    },
    ...((target ?? stored?.target) ? { initialTarget: target ?? stored?.target } : {}),
    read: () => {
      if (target) void readAndSettle(target);
    },
    ...(restoreProblem ? { restoreProblem } : {}),
    options,
    setOptions,
    check,
    setCheck,
    checkJob,
    runId,
    setRunId,
    reset: () => {
      sessionStorage.removeItem(RUN_KEY);
      clearStoredForm(sessionStorage);
      onReset();
    },
  };
  return <DraftContext.Provider value={draft}>{children}</DraftContext.Provider>;
}

/** The other sheets' mappings as the kept form holds them: absent when there are none. */
function otherSheetsKept(others: SheetMappings | undefined): { otherSheets?: SheetMappings } {
  return others && Object.keys(others).length > 0 ? { otherSheets: others } : {};
}

/** The Upload screen's draft. */
export function useUploadDraft(): UploadDraft {
  const draft = useContext(DraftContext);
  if (!draft) throw new Error('useUploadDraft must be used inside <UploadDraftProvider>');
  return draft;
}
