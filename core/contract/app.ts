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

export const appChannels = {
  'app:info': channel(Empty, AppInfo),
};
