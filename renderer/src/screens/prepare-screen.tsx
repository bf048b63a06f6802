import { useState } from 'react';
import type { SchemaSource } from '../../../core/contract';
import { OrgListPicker, type UploadTarget } from '../features/orgs/org-list-picker';
import { Screen } from '../components/screen';
import { PathField } from '../components/path-field';
import { CsvFileField, MappingStep, ReadFileButton } from '../features/mapping/mapping-step';
import { useMappingSession } from '../features/mapping/use-mapping-session';
import { PrepareRunner } from '../features/prepare/prepare-runner';
import { SavedSchemaPicker } from '../features/prepare/saved-schema-picker';

/** Offline preparation: map a CSV file onto a saved list schema, preview, write clean + rejects. */
export function PrepareScreen() {
  const session = useMappingSession();
  const [schemaPath, setSchemaPath] = useState('');
  const [from, setFrom] = useState<'file' | 'org'>('file');
  const [target, setTarget] = useState<UploadTarget>();
  const source: SchemaSource | undefined =
    from === 'file'
      ? schemaPath.trim()
        ? { kind: 'file', path: schemaPath.trim() }
        : undefined
      : target && { kind: 'list', orgId: target.orgId, listId: target.listId };

  return (
    <Screen
      title="Prepare CSV"
      intro="Validate and normalise a CSV file against a contact list, offline: Sluice writes a clean file ready to upload and a rejects file that says what is wrong with each row."
    >
      <section className="step" aria-labelledby="prepare-files">
        <h2 id="prepare-files">1. Files</h2>
        <CsvFileField session={session} />
        <fieldset className="choice">
          <legend>The contact list’s columns come from</legend>
          <label>
            <input
              type="radio"
              name="schema-from"
              checked={from === 'file'}
              onChange={() => setFrom('file')}
            />
            a saved schema file (works offline)
          </label>
          <label>
            <input
              type="radio"
              name="schema-from"
              checked={from === 'org'}
              onChange={() => setFrom('org')}
            />
            a contact list in an org
          </label>
        </fieldset>
        {from === 'file' ? (
          <>
            <SavedSchemaPicker value={schemaPath} onPick={setSchemaPath} />
            <PathField
              label="Contact list schema (saved from the Contact lists screen)"
              purpose="open-schema"
              value={schemaPath}
              onChange={setSchemaPath}
              placeholder="/path/to/list.schema.json"
            />
          </>
        ) : (
          <OrgListPicker onChange={setTarget} />
        )}
        <ReadFileButton
          session={session}
          disabled={!session.csvPath.trim() || !source}
          onRead={() => source && void session.load(source)}
        />
      </section>

      <MappingStep session={session} id="prepare-mapping" />

      {session.source && session.mapping && session.inspection && (
        <section className="step" aria-labelledby="prepare-write">
          <h2 id="prepare-write">3. Write the clean and rejects files</h2>
          <PrepareRunner
            csvPath={session.inspection.path}
            sheet={session.sheet}
            source={session.source}
            mapping={session.mapping}
          />
        </section>
      )}
    </Screen>
  );
}
