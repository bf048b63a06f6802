import { useState } from 'react';
import { Screen } from '../components/screen';
import { PathField } from '../components/path-field';
import { MappingStep, ReadFileButton } from '../features/mapping/mapping-step';
import { useMappingSession } from '../features/mapping/use-mapping-session';
import { PrepareRunner } from '../features/prepare/prepare-runner';

/** Offline preparation: map a CSV file onto a saved list schema, preview, write clean + rejects. */
export function PrepareScreen() {
  const session = useMappingSession();
  const [schemaPath, setSchemaPath] = useState('');

  return (
    <Screen
      title="Prepare CSV"
      intro="Validate and normalise a CSV file against a contact list, offline: Sluice writes a clean file ready to upload and a rejects file that says what is wrong with each row."
    >
      <section className="step" aria-labelledby="prepare-files">
        <h2 id="prepare-files">1. Files</h2>
        <PathField
          label="CSV file"
          purpose="open-csv"
          value={session.csvPath}
          onChange={session.setCsvPath}
          placeholder="/path/to/export.csv"
        />
        <PathField
          label="Contact list schema (saved from the Contact lists screen)"
          purpose="open-schema"
          value={schemaPath}
          onChange={setSchemaPath}
          placeholder="/path/to/list.schema.json"
        />
        <ReadFileButton
          session={session}
          disabled={!session.csvPath.trim() || !schemaPath.trim()}
          onRead={() => void session.load({ kind: 'file', path: schemaPath.trim() })}
        />
      </section>

      <MappingStep session={session} id="prepare-mapping" />

      {session.source && session.mapping && session.inspection && (
        <section className="step" aria-labelledby="prepare-write">
          <h2 id="prepare-write">3. Write the clean and rejects files</h2>
          <PrepareRunner
            csvPath={session.inspection.path}
            source={session.source}
            mapping={session.mapping}
          />
        </section>
      )}
    </Screen>
  );
}
