import { useId } from 'react';
import { useCall } from '../../api/context';
import { countOf } from '../../../../core/text/count';

/**
 * The schemas saved in the data folder (from the Contact lists screen), to pick one instead of
 * typing its path. Shows nothing when none is saved; says where to save one.
 */
export function SavedSchemaPicker({
  value,
  onPick,
}: {
  /** The schema path chosen now (selects the matching entry). */
  value: string;
  onPick: (path: string) => void;
}) {
  const id = useId();
  const schemas = useCall('csv:savedSchemas', {});
  const orgs = useCall('orgs:list', {});
  const orgName = (orgId: string) => orgs.data?.find((org) => org.id === orgId)?.name ?? orgId;
  if (!schemas.data) return null;
  if (schemas.data.length === 0) {
    return (
      <p className="muted">
        No schema saved yet: save one from Contact lists (Save schema for offline preparation), or
        type a file’s path.
      </p>
    );
  }
  const chosen = schemas.data.find((schema) => schema.path === value.trim());
  return (
    <div className="field">
      <label htmlFor={id}>Saved schemas</label>
      <select
        id={id}
        value={chosen?.path ?? ''}
        onChange={(event) => event.target.value && onPick(event.target.value)}
      >
        <option value="">Choose a saved schema…</option>
        {schemas.data.map((schema) => (
          <option key={schema.path} value={schema.path}>
            {schema.listName} ({orgName(schema.orgId)}, {countOf(schema.columnCount, 'column')},
            saved {new Date(schema.savedAt).toLocaleDateString()})
          </option>
        ))}
      </select>
    </div>
  );
}
