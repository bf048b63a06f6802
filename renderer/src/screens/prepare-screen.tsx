import { Screen } from '../components/screen';
import { ComingSoon } from '../components/coming-soon';

/** Validate and normalise a CSV file against a contact list, offline. */
export function PrepareScreen() {
  return (
    <Screen
      title="Prepare CSV"
      intro="Validate and normalise a CSV file against a contact list, offline."
    >
      <ComingSoon
        issue={5}
        what="Column mapping with auto-match, validation, and writing clean and rejects files."
      />
    </Screen>
  );
}
