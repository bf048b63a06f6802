import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SavedSchema } from '../contract';

/** More than a consultant scrolls through; the newest are kept. */
const MAX_SCHEMAS = 500;

/**
 * The contact list schemas saved in the data folder (`schemas/<org id>/<list>.json`, where the
 * Contact lists screen saves them), newest first, so a schema is picked from a list instead of
 * typed. A file that is not readable JSON with column names is left out, not reported: the
 * schema loader says what is wrong with a file when one is chosen.
 */
export function listSavedSchemas(dataFolder: string): SavedSchema[] {
  const root = path.join(dataFolder, 'schemas');
  const found: SavedSchema[] = [];
  for (const orgId of entries(root)) {
    const orgFolder = path.join(root, orgId);
    for (const fileName of entries(orgFolder)) {
      if (!fileName.toLowerCase().endsWith('.json')) continue;
      const filePath = path.join(orgFolder, fileName);
      const schema = readSchemaSummary(filePath);
      if (schema) found.push({ path: filePath, orgId, ...schema });
    }
  }
  found.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  return found.slice(0, MAX_SCHEMAS);
}

function entries(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function readSchemaSummary(
  filePath: string,
): Pick<SavedSchema, 'listName' | 'columnCount' | 'savedAt'> | undefined {
  try {
    const stats = statSync(filePath);
    if (!stats.isFile()) return undefined;
    const json = JSON.parse(readFileSync(filePath, 'utf8')) as {
      name?: unknown;
      columnNames?: unknown;
    };
    if (!Array.isArray(json.columnNames)) return undefined;
    return {
      listName: typeof json.name === 'string' ? json.name : path.basename(filePath, '.json'),
      columnCount: json.columnNames.length,
      savedAt: stats.mtime.toISOString(),
    };
  } catch {
    return undefined;
  }
}
