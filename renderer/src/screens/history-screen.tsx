import { Screen } from '../components/screen';
import { ComingSoon } from '../components/coming-soon';

/** Every run, with its summary and row accounting. */
export function HistoryScreen() {
  return (
    <Screen title="History" intro="Every run, with its summary and row accounting.">
      <ComingSoon issue={4} what="The list of past runs with their summaries and exports." />
    </Screen>
  );
}
