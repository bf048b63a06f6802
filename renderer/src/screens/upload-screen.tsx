import { Screen } from '../components/screen';
import { ComingSoon } from '../components/coming-soon';

/** Run the throttled uploader and watch 429s, backoff and throughput live. */
export function UploadScreen() {
  return (
    <Screen
      title="Upload"
      intro="Run the throttled uploader and watch 429s, backoff and throughput live."
    >
      <ComingSoon
        issue={4}
        what="Starting, pausing and resuming uploads with live throughput, 429s and backoff."
      />
    </Screen>
  );
}
