import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../store/atomic-file';
import { CsvFileError } from './errors';
import { Mapping } from './mapping';
import { schemaFingerprint } from './schema';
import type { ContactListSchema } from './schema';

/** Version of the template file format; bump when it changes incompatibly. */
export const TEMPLATE_FORMAT_VERSION = 1;

/** A saved mapping as stored and exported: the mapping plus what list it was made for. */
export const MappingTemplate = z.object({
  format: z.literal('sluice-mapping-template'),
  version: z.literal(TEMPLATE_FORMAT_VERSION),
  name: z.string().trim().min(1).max(100),
  savedAt: z.string(),
  /** `schemaFingerprint` of the list the mapping was made for. */
  schemaFingerprint: z.string(),
  /** That list's columns, to say what changed when the fingerprint differs. */
  columnNames: z.array(z.string()),
  mapping: Mapping,
});
export type MappingTemplate = z.output<typeof MappingTemplate>;

/** A template in a listing. */
export interface TemplateSummary {
  name: string;
  savedAt: string;
  schemaFingerprint: string;
}

/** A loaded template, with a warning when the list's columns are not the ones it was made for. */
export interface LoadedTemplate {
  template: MappingTemplate;
  warning?: string;
}

/**
 * Saves, lists, loads, renames and deletes mapping templates as JSON files in a folder chosen by
 * the caller (the app's user-data folder, or a test's temp folder), and exports/imports them as
 * single files so a consultant can reuse a mapping in another org whose list shares columns.
 */
export class MappingTemplateStore {
  constructor(private readonly folder: string) {}

  /** All templates, by name. */
  async list(): Promise<TemplateSummary[]> {
    await mkdir(this.folder, { recursive: true });
    const files = (await readdir(this.folder)).filter((file) => file.endsWith('.json'));
    const templates = await Promise.all(
      files.map((file) => this.readFile(join(this.folder, file)).catch(() => undefined)),
    );
    return templates
      .filter((template): template is MappingTemplate => template !== undefined)
      .map(({ name, savedAt, schemaFingerprint: fingerprint }) => ({
        name,
        savedAt,
        schemaFingerprint: fingerprint,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Saves (or replaces) the template `name` for a mapping made against `schema`. */
  async save(name: string, mapping: Mapping, schema: ContactListSchema): Promise<MappingTemplate> {
    const template = MappingTemplate.parse({
      format: 'sluice-mapping-template',
      version: TEMPLATE_FORMAT_VERSION,
      name,
      savedAt: new Date().toISOString(),
      schemaFingerprint: schemaFingerprint(schema),
      columnNames: schema.columnNames,
      mapping,
    });
    await this.write(template);
    return template;
  }

  /** Loads `name`; with `schema`, warns when the list's columns differ from the saved ones. */
  async load(name: string, schema?: ContactListSchema): Promise<LoadedTemplate> {
    const template = await this.readFile(await this.existingPathOf(name)).catch(
      (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new CsvFileError(
            'not-found',
            this.pathOf(name),
            `There is no mapping template named "${name}"`,
          );
        }
        throw error;
      },
    );
    return schema ? { template, warning: columnsWarning(template, schema) } : { template };
  }

  /** Renames a template; fails when the new name is taken. */
  async rename(from: string, to: string): Promise<void> {
    const { template } = await this.load(from);
    if (
      (await this.list()).some((existing) => existing.name === to.trim() && existing.name !== from)
    ) {
      throw new Error(`A mapping template named "${to}" already exists`);
    }
    await this.write({ ...template, name: to.trim() });
    if (this.pathOf(from) !== this.pathOf(to)) await this.delete(from);
  }

  /** Deletes a template (no error when it does not exist). */
  async delete(name: string): Promise<void> {
    await this.forgetLegacyFile(name);
    await rm(this.pathOf(name), { force: true });
  }

  /**
   * Writes the template as a standalone JSON file (to share or move to another machine). An
   * existing file is replaced only with `overwrite`; otherwise the write fails with EEXIST.
   */
  async exportTo(name: string, path: string, overwrite = false): Promise<void> {
    const { template } = await this.load(name);
    await writeFile(path, `${JSON.stringify(template, null, 2)}\n`, {
      flag: overwrite ? 'w' : 'wx',
    });
  }

  /** Reads an exported file into the store (optionally under a new name); warns like `load`. */
  async importFrom(
    path: string,
    schema?: ContactListSchema,
    name?: string,
  ): Promise<LoadedTemplate> {
    const template = await this.readFile(path);
    const imported = name ? { ...template, name } : template;
    await this.write(imported);
    return schema
      ? { template: imported, warning: columnsWarning(imported, schema) }
      : { template: imported };
  }

  private pathOf(name: string): string {
    const slug =
      name
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'template';
    // A digest of the whole name: names that slug alike ("Leads Q1 EU", "Leads Q1 (EU)") differ.
    const hash = createHash('sha256').update(name.trim()).digest('hex').slice(0, 16);
    return join(this.folder, `${slug}-${hash}.json`);
  }

  /**
   * The file holding `name`: its current file name, else a file saved under an older naming
   * scheme whose template has exactly that name.
   */
  private async existingPathOf(name: string): Promise<string> {
    const current = this.pathOf(name);
    if (await exists(current)) return current;
    return (await this.legacyPathOf(name)) ?? current;
  }

  private async legacyPathOf(name: string): Promise<string | undefined> {
    const files = await readdir(this.folder).catch(() => [] as string[]);
    for (const file of files.filter((entry) => entry.endsWith('.json'))) {
      const path = join(this.folder, file);
      if (path === this.pathOf(name)) continue;
      const template = await this.readFile(path).catch(() => undefined);
      if (template?.name === name.trim()) return path;
    }
    return undefined;
  }

  private async forgetLegacyFile(name: string): Promise<void> {
    const legacy = await this.legacyPathOf(name);
    if (legacy) await rm(legacy, { force: true });
  }

  private async readFile(path: string): Promise<MappingTemplate> {
    const text = await readFile(path, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      throw new CsvFileError(
        'invalid-mapping',
        path,
        `${path} is not a mapping template (not JSON)`,
      );
    }
    const result = MappingTemplate.safeParse(json);
    if (!result.success) {
      const detail = result.error.issues
        .map((issue) => `${issue.message} (at ${issue.path.join('.')})`)
        .join('; ');
      throw new CsvFileError(
        'invalid-mapping',
        path,
        `${path} is not a Sluice mapping template: ${detail}`,
      );
    }
    return result.data;
  }

  private async write(template: MappingTemplate): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await this.forgetLegacyFile(template.name);
    await writeFileAtomically(this.pathOf(template.name), `${JSON.stringify(template, null, 2)}\n`);
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Explains how the list differs from the one the template was made for, or undefined. */
export function columnsWarning(
  template: MappingTemplate,
  schema: ContactListSchema,
): string | undefined {
  if (template.schemaFingerprint === schemaFingerprint(schema)) return undefined;
  const now = new Set(schema.columnNames);
  const before = new Set(template.columnNames);
  const added = schema.columnNames.filter((name) => !before.has(name));
  const removed = template.columnNames.filter((name) => !now.has(name));
  const parts: string[] = [];
  if (added.length > 0) parts.push(`new columns ${added.join(', ')}`);
  if (removed.length > 0) parts.push(`missing columns ${removed.join(', ')}`);
  if (parts.length === 0) parts.push('column order, phone columns or data types differ');
  const broken = Object.keys(template.mapping.columns).filter((name) => !now.has(name));
  const consequence =
    broken.length > 0
      ? ` The mapping fills ${broken.join(', ')}, which the list no longer has: remap before use.`
      : '';
  return `The contact list's columns changed since "${template.name}" was saved (${parts.join('; ')}).${consequence}`;
}
