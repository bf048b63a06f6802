import { useEffect, useState } from 'react';
import type { Mapping } from '../../../../core/csv/mapping';
import { sourceHeaders } from '../../../../core/csv/column-source';
import { idCsvHeader } from '../../../../core/csv/contact-id-rule';
import { useApi } from '../../api/context';
import type { MappingSession } from './use-mapping-session';

/** Most saved mappings a file is compared with (each costs one load). */
const MAX_TEMPLATES = 20;

/** The CSV headers a mapping reads (its columns' and its contact id's), all of which the file must have. */
function headersUsed(mapping: Mapping): string[] {
  const idHeader = idCsvHeader(mapping.contactId);
  return Object.values(mapping.columns)
    .flatMap((column) => sourceHeaders(column.source))
    .concat(idHeader === undefined ? [] : [idHeader]);
}

/**
 * When a saved mapping fits the file just read (it reads only headers the file has, and was saved
 * for a list with the same columns), offers it in one click, newest first.
 */
export function MappingSuggestion({ session }: { session: MappingSession }) {
  const api = useApi();
  const [suggestion, setSuggestion] = useState<{ key: string; name: string; mapping: Mapping }>();
  const [dismissed, setDismissed] = useState('');
  const headers = session.inspection?.headers;
  const source = session.source;
  const fingerprint = session.schema?.fingerprint;
  const key = JSON.stringify([headers, source, fingerprint]);

  useEffect(() => {
    if (!headers || !source || !fingerprint) return;
    let live = true;
    const find = async () => {
      const templates = (await api.invoke('mappings:list', {}))
        .filter((template) => template.schemaFingerprint === fingerprint)
        .sort((a, b) => b.savedAt.localeCompare(a.savedAt))
        .slice(0, MAX_TEMPLATES);
      const available = new Set(headers);
      for (const template of templates) {
        const loaded = await api.invoke('mappings:load', { name: template.name, source });
        const used = headersUsed(loaded.mapping);
        if (used.length > 0 && used.every((header) => available.has(header))) {
          if (live) setSuggestion({ key, name: loaded.name, mapping: loaded.mapping });
          return;
        }
      }
    };
    find().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, key, headers, source, fingerprint]);

  if (!suggestion || suggestion.key !== key || dismissed === key) return null;
  return (
    <p className="notice" role="note" data-testid="mapping-suggestion">
      The saved mapping <strong>“{suggestion.name}”</strong> fits this file’s headers.{' '}
      <button
        type="button"
        className="primary"
        onClick={() => {
          session.setMapping(suggestion.mapping);
          setDismissed(key);
        }}
      >
        Use “{suggestion.name}”
      </button>{' '}
      <button type="button" className="link-button" onClick={() => setDismissed(key)}>
        Keep the auto-match
      </button>
    </p>
  );
}
