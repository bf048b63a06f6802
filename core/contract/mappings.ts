import { z } from 'zod';
import { channel, Empty } from './channel';
import { MappingShape, SchemaSource } from './csv-pipeline';

/**
 * Mapping templates: a consultant saves a mapping once and reuses it on another file or in
 * another org whose list shares the columns, and is warned when a list's columns changed.
 */

const name = z.string().trim().min(1, 'a template needs a name').max(100);
const filePath = z.string().min(1).max(4096);

export const TemplateSummaryShape = z.object({
  name: z.string(),
  savedAt: z.string(),
  schemaFingerprint: z.string(),
});
export type TemplateSummaryShape = z.infer<typeof TemplateSummaryShape>;

/** A template loaded for a list: the mapping, and a warning when the list's columns differ. */
export const LoadedTemplateShape = z.object({
  name: z.string(),
  mapping: MappingShape,
  warning: z.string().optional(),
});

export const mappingsChannels = {
  'mappings:list': channel(Empty, z.array(TemplateSummaryShape)),
  'mappings:save': channel(
    z.object({ name, mapping: MappingShape, source: SchemaSource }),
    TemplateSummaryShape,
  ),
  'mappings:load': channel(z.object({ name, source: SchemaSource }), LoadedTemplateShape),
  'mappings:rename': channel(z.object({ from: name, to: name }), z.object({ name: z.string() })),
  'mappings:delete': channel(z.object({ name }), z.object({ deleted: z.boolean() })),
  'mappings:export': channel(
    z.object({
      name,
      path: filePath,
      /** Without it, an existing file is a `conflict` error and nothing is written. */
      overwrite: z.boolean().default(false),
    }),
    z.object({ path: z.string() }),
  ),
  'mappings:import': channel(
    z.object({ path: filePath, source: SchemaSource }),
    LoadedTemplateShape,
  ),
};
