import { Screen } from '../components/screen';
import { ComingSoon } from '../components/coming-soon';

/** Inspect, fix and retry failed batches and rejected rows. */
export function FailuresScreen() {
  return (
    <Screen title="Failures" intro="Inspect, fix and retry failed batches and rejected rows.">
      <ComingSoon
        issue={4}
        what="Seeing which rows failed and why, fixing or skipping them, and retrying."
      />
    </Screen>
  );
}
