import { Screen } from '../components/screen';
import { ComingSoon } from '../components/coming-soon';

/** Browse each org's contact lists, their columns and phone columns. */
export function ListsScreen() {
  return (
    <Screen
      title="Contact lists"
      intro="Browse each org's contact lists, their columns and phone columns."
    >
      <ComingSoon
        issue={6}
        what="Searching lists, reading their columns and saving a list's schema for offline preparation."
      />
    </Screen>
  );
}
