import { createContext, useContext, useState, type ReactNode } from 'react';
import type { FileCheck } from '../../../../core/contract';
import { useMappingSession, type MappingSession } from '../mapping/use-mapping-session';
import type { UploadTarget } from '../orgs/org-list-picker';
import { useFileCheckJob, type FileCheckJob } from './file-check-job';
import { defaultRunOptions, type RunOptions } from './run-options';

/** The Upload screen's work in progress, kept while the consultant visits other screens. */
export interface UploadDraft {
  session: MappingSession;
  target?: UploadTarget;
  setTarget: (target: UploadTarget | undefined) => void;
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

/** Holds the Upload screen's draft for the life of the window (the run id across reloads too). */
export function UploadDraftProvider({ children }: { children: ReactNode }) {
  const [generation, setGeneration] = useState(0);
  return (
    <DraftState key={generation} onReset={() => setGeneration((value) => value + 1)}>
      {children}
    </DraftState>
  );
}

function DraftState({ children, onReset }: { children: ReactNode; onReset: () => void }) {
  const session = useMappingSession();
  const [target, setTarget] = useState<UploadTarget>();
  const [options, setOptions] = useState<RunOptions>(defaultRunOptions);
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
  const draft: UploadDraft = {
    session,
    target,
    setTarget: (next) => {
      if (next?.orgId === target?.orgId && next?.listId === target?.listId) return;
      setTarget(next);
      setCheck(undefined);
    },
    options,
    setOptions,
    check,
    setCheck,
    checkJob,
    runId,
    setRunId,
    reset: () => {
      sessionStorage.removeItem(RUN_KEY);
      onReset();
    },
  };
  return <DraftContext.Provider value={draft}>{children}</DraftContext.Provider>;
}

/** The Upload screen's draft. */
export function useUploadDraft(): UploadDraft {
  const draft = useContext(DraftContext);
  if (!draft) throw new Error('useUploadDraft must be used inside <UploadDraftProvider>');
  return draft;
}
