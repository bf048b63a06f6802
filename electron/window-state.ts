import ElectronStore from 'electron-store';
import { screen, type BrowserWindow } from 'electron';
import { restorableBounds, type SavedWindowState } from './window-bounds';

/**
 * Remembers the main window's size, position and maximised state in `window-state.json` in the
 * data folder (electron-store), and gives them back at the next launch when they still fit on a
 * display.
 */
export class WindowState {
  private readonly store: ElectronStore<{ window?: SavedWindowState }>;

  constructor(dataFolder: string) {
    this.store = new ElectronStore<{ window?: SavedWindowState }>({
      cwd: dataFolder,
      name: 'window-state',
      // Only window geometry lives here: a damaged file is simply started afresh.
      clearInvalidConfig: true,
    });
  }

  /** Bounds for `new BrowserWindow`, or undefined for the defaults. */
  initialBounds(): ReturnType<typeof restorableBounds> {
    const areas = screen.getAllDisplays().map((display) => display.workArea);
    return restorableBounds(this.store.get('window'), areas);
  }

  /** Whether the window was maximised when it last closed. */
  wasMaximized(): boolean {
    return this.store.get('window')?.maximized === true;
  }

  /** Saves the window's normal (unmaximised) bounds when it closes. */
  track(window: BrowserWindow): void {
    window.on('close', () => {
      this.store.set('window', {
        bounds: window.getNormalBounds(),
        maximized: window.isMaximized(),
      });
    });
  }
}
