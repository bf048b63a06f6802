import { useEffect, useId, useState, type DragEvent } from 'react';
import type { FilePurpose } from '../../../core/contract';
import { useApi, useCall } from '../api/context';

/**
 * A file path input with a Browse… button in the desktop app (native dialog). In the browser
 * there is no dialog that yields a path, so the consultant types or pastes it.
 */
export function PathField({
  label,
  value,
  onChange,
  purpose,
  placeholder,
  testId,
  offerSample = false,
}: {
  label: string;
  value: string;
  onChange: (path: string) => void;
  purpose: FilePurpose;
  placeholder?: string;
  testId?: string;
  /** Offers "Use a sample file" (a CSV for the Sandbox org's lists) next to Browse…. */
  offerSample?: boolean;
}) {
  const api = useApi();
  const info = useCall('app:info', {});
  const id = useId();
  const [dragging, setDragging] = useState(false);
  const resolved = useResolvedPath(value);
  const drop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    const path = droppedPath(event.dataTransfer);
    if (path) onChange(path);
  };
  const browse = async () => {
    const picked = await api.invoke('app:pickFile', { purpose, defaultPath: value || undefined });
    if (picked.path) onChange(picked.path);
  };
  return (
    <div
      className={dragging ? 'field dropping' : 'field'}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <label htmlFor={id}>{label}</label>
      <div className="field-row">
        <input
          id={id}
          className="path-input"
          value={value}
          placeholder={placeholder ?? '/path/to/file (or drop the file here)'}
          spellCheck={false}
          data-testid={testId}
          onChange={(event) => onChange(event.target.value)}
        />
        {offerSample && (
          <button
            type="button"
            title="A CRM-style export for the Sandbox org's “Webinar follow-up” list"
            onClick={() =>
              void api.invoke('app:sampleCsv', {}).then((sample) => onChange(sample.path))
            }
          >
            Use a sample file
          </button>
        )}
        {info.data?.shell === 'electron' && (
          <button type="button" onClick={() => void browse()}>
            Browse…
          </button>
        )}
      </div>
      {resolved && (
        <p className="muted path-resolved" data-testid={testId && `${testId}-resolved`}>
          Opens {resolved}
        </p>
      )}
    </div>
  );
}

/**
 * How the app reads a typed path that is not absolute ("~/exports/file.csv", "file.csv"): the
 * host expands "~" and resolves it, and the field shows the result so nobody guesses. Undefined
 * for empty or already-absolute paths.
 */
function useResolvedPath(value: string): string | undefined {
  const api = useApi();
  const typed = value.trim();
  const needsResolving = typed !== '' && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(typed);
  const [resolved, setResolved] = useState<{ typed: string; absolutePath: string }>();
  useEffect(() => {
    if (!needsResolving) return;
    let live = true;
    const timer = setTimeout(() => {
      api.invoke('csv:resolvePath', { path: typed }).then(
        (result) => live && setResolved({ typed, absolutePath: result.absolutePath }),
        () => undefined,
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, typed, needsResolving]);
  return needsResolving && resolved?.typed === typed ? resolved.absolutePath : undefined;
}

/**
 * The path of a file dropped from the desktop: the file manager's `file://` URI (any browser),
 * or the path Electron attaches to a dropped File. Undefined when neither is there.
 */
function droppedPath(data: DataTransfer): string | undefined {
  const uri = data
    .getData('text/uri-list')
    .split(/\r?\n/)
    .find((line) => line.startsWith('file://'));
  if (uri) {
    const url = new URL(uri);
    const path = decodeURIComponent(url.pathname);
    // file:///C:/Users/… on Windows
    return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
  }
  const file = data.files[0] as (File & { path?: string }) | undefined;
  return file?.path || undefined;
}
