import { z } from 'zod';
import { channel, Empty } from './channel';

/** What the status bar and the About box show. */
export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  /** Folder holding settings, run journals and logs. */
  dataFolder: z.string(),
  /** Which shell serves the renderer: the Electron app or the loopback web host. */
  shell: z.enum(['electron', 'web-host']),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** What a file picker is for: it sets the dialog's title and file filter. */
export const FilePurpose = z.enum([
  'open-csv',
  'open-schema',
  'open-mapping',
  'save-csv',
  'save-json',
]);
export type FilePurpose = z.infer<typeof FilePurpose>;

export const appChannels = {
  'app:info': channel(Empty, AppInfo),
  /** Writes a sample CSV for the Sandbox org's "Webinar follow-up" list; returns its path. */
  'app:sampleCsv': channel(Empty, z.object({ path: z.string() })),
  /** The desktop app's native file dialog; the web host answers `unavailable` (type the path). */
  'app:pickFile': channel(
    z.object({ purpose: FilePurpose, defaultPath: z.string().optional() }),
    z.object({ path: z.string().nullable() }),
  ),
};
