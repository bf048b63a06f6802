import { dialog, type BrowserWindow } from 'electron';
import type { FilePurpose } from '../core/contract';

const csvFilter = { name: 'CSV files', extensions: ['csv', 'txt', 'tsv'] };
const jsonFilter = { name: 'JSON files', extensions: ['json'] };
// Sluice reads and writes .xlsx workbooks wherever it reads or writes a CSV file.
const workbookFilter = { name: 'Excel workbooks', extensions: ['xlsx'] };

const dialogs: Record<
  FilePurpose,
  { save: boolean; title: string; filters: Electron.FileFilter[] }
> = {
  'open-csv': {
    save: false,
    title: 'Choose a CSV file or workbook',
    filters: [csvFilter, workbookFilter],
  },
  'open-schema': {
    save: false,
    title: 'Choose a saved contact list schema',
    filters: [jsonFilter],
  },
  'open-mapping': { save: false, title: 'Choose a mapping file', filters: [jsonFilter] },
  'save-csv': { save: true, title: 'Save as', filters: [csvFilter, workbookFilter] },
  'save-json': { save: true, title: 'Save as', filters: [jsonFilter] },
};

/** The native open/save dialog behind `app:pickFile`; null when the user cancels. */
export async function pickFile(
  window: BrowserWindow | undefined,
  purpose: FilePurpose,
  defaultPath?: string,
): Promise<string | null> {
  const spec = dialogs[purpose];
  const options = { title: spec.title, filters: spec.filters, defaultPath };
  if (spec.save) {
    const result = window
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options);
    return result.canceled ? null : (result.filePath ?? null);
  }
  const result = window
    ? await dialog.showOpenDialog(window, { ...options, properties: ['openFile'] })
    : await dialog.showOpenDialog({ ...options, properties: ['openFile'] });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
