import type { LazyCommand } from '../lazy-command';

// upload.ts declares all three commands; whichever runs imports it (and the engine behind it).
const loadUpload = async () => (await import('./upload')).registerUploadCommand;

/** `sluice upload`, `resume` and `retry` as `sluice --help` lists them; the rest is in upload.ts. */
export const UPLOAD_COMMANDS: LazyCommand[] = [
  {
    term: 'upload',
    description:
      'Upload a CSV file into a contact list, throttled below the org rate limit, loss-free',
    load: loadUpload,
  },
  {
    term: 'resume <run>',
    description:
      'Continue a paused, cancelled or killed run (id or folder): sends every row it never sent, once; acknowledged rows are not sent again',
    load: loadUpload,
  },
  {
    term: 'retry <run>',
    description: "Send a run's failed rows again (rejected rows need fixing first)",
    load: loadUpload,
  },
];
