import { useState } from 'react';
import { useApi, useCall } from '../../api/context';
import { ActionOutcome } from '../../components/action-outcome';
import { messageOf } from '../../components/error-text';
import { PathField } from '../../components/path-field';
import { useConfirm } from '../../components/confirm-dialog';
import type { MappingSession } from './use-mapping-session';

/**
 * Reuse a mapping: load a saved template (warned when the list's columns changed), save the
 * current mapping under a name, delete one, or move templates between machines as files.
 */
export function TemplateBar({ session }: { session: MappingSession }) {
  const api = useApi();
  const confirm = useConfirm();
  const templates = useCall('mappings:list', {});
  const [chosen, setChosen] = useState('');
  const [newName, setNewName] = useState('');
  const [filePath, setFilePath] = useState('');
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const source = session.source;
  if (!source || !session.mapping) return null;
  const mapping = session.mapping;

  const act = async (work: () => Promise<string | undefined>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
      templates.reload();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  const apply = (loaded: { name: string; mapping: typeof mapping; warning?: string }) => {
    session.setMapping(loaded.mapping);
    return loaded.warning
      ? `Loaded “${loaded.name}”. ${loaded.warning}`
      : `Loaded “${loaded.name}”.`;
  };

  return (
    <div className="template-bar" aria-label="Saved mappings" role="group">
      <select
        aria-label="Mapping template"
        value={chosen}
        onChange={(event) => setChosen(event.target.value)}
      >
        <option value="">
          {templates.data?.length ? 'Saved mappings…' : 'No saved mappings yet'}
        </option>
        {templates.data?.map((template) => (
          <option key={template.name} value={template.name}>
            {template.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={!chosen}
        onClick={() =>
          void act(async () => apply(await api.invoke('mappings:load', { name: chosen, source })))
        }
      >
        Load
      </button>
      <button
        type="button"
        disabled={!chosen}
        onClick={() =>
          void confirm({
            title: `Delete the saved mapping “${chosen}”?`,
            detail: 'It goes from the saved mappings; the mapping on screen stays as it is.',
            confirmLabel: 'Delete',
            destructive: true,
          }).then((yes) => {
            if (!yes) return;
            void act(async () => {
              await api.invoke('mappings:delete', { name: chosen });
              setChosen('');
              return `Deleted “${chosen}”.`;
            });
          })
        }
      >
        Delete
      </button>
      <input
        aria-label="Template name"
        placeholder="Name for this mapping"
        value={newName}
        onChange={(event) => setNewName(event.target.value)}
      />
      <button
        type="button"
        disabled={!newName.trim()}
        onClick={() =>
          void act(async () => {
            const saved = await api.invoke('mappings:save', {
              name: newName.trim(),
              mapping,
              source,
            });
            setChosen(saved.name);
            return `Saved as “${saved.name}”.`;
          })
        }
      >
        Save mapping
      </button>
      <details className="template-files">
        <summary>Share as a file</summary>
        <PathField
          label="Template file"
          purpose="save-json"
          value={filePath}
          onChange={setFilePath}
          placeholder="/path/to/mapping.json"
        />
        <button
          type="button"
          disabled={!chosen || !filePath.trim()}
          onClick={() =>
            void act(
              async () =>
                `Exported to ${(await api.invoke('mappings:export', { name: chosen, path: filePath.trim() })).path}.`,
            )
          }
        >
          Export the chosen mapping
        </button>
        <button
          type="button"
          disabled={!filePath.trim()}
          onClick={() =>
            void act(async () =>
              apply(await api.invoke('mappings:import', { path: filePath.trim(), source })),
            )
          }
        >
          Import and use
        </button>
      </details>
      <ActionOutcome message={notice} error={error} />
    </div>
  );
}
