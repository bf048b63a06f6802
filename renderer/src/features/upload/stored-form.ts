import { z } from 'zod';
import { MappingShape } from '../../../../core/contract';
import type { RunOptions } from './run-options';

/**
 * The Upload form as kept for the window across a reload (or a restart of the renderer): ids,
 * a path, a sheet name, the mapping (and those of the workbook's other sheets) and the run
 * options. Never a secret: the renderer holds none,
 * and sessionStorage is readable by anything running in the page.
 */
export const UPLOAD_FORM_KEY = 'sluice-upload-form';

const RunOptionsShape = z.object({
  strategy: z.enum(['contacts', 'import']),
  headroomPercent: z.number().min(0).max(90),
  batchSize: z.number().int().min(1).max(1000),
  requeueUpdated: z.boolean(),
  priority: z.boolean(),
  clearSystemData: z.boolean(),
}) satisfies z.ZodType<RunOptions>;

export const StoredUploadForm = z.object({
  /** Bumped when the shape changes: a form kept by an older build is ignored, not half-read. */
  version: z.literal(2),
  /** The names too, to say which org or list is gone if one no longer exists. */
  target: z
    .object({
      orgId: z.string().min(1).max(200),
      orgName: z.string().max(500),
      listId: z.string().min(1).max(200),
      listName: z.string().max(500),
    })
    .optional(),
  csvPath: z.string().max(4096),
  sheet: z.string().min(1).max(200).optional(),
  /** The file as it was read: another size or other headers after the reload means it changed. */
  file: z.object({ sizeBytes: z.number().nonnegative(), headers: z.array(z.string()) }).optional(),
  mapping: MappingShape.optional(),
  /**
   * The mappings made for the workbook's other sheets, by sheet name, so moving back to one after
   * the reload finds it as it was made (version 2).
   */
  otherSheets: z.record(z.string().min(1).max(200), MappingShape).optional(),
  options: RunOptionsShape,
});
export type StoredUploadForm = z.infer<typeof StoredUploadForm>;
/** The form as the screen holds it (a mapping's defaults may be absent). */
export type StoredUploadFormInput = z.input<typeof StoredUploadForm>;

/**
 * The form kept for this window, or undefined when there is none or it cannot be trusted
 * (not JSON, another shape, an older version): a bad entry is dropped, never a crash.
 */
export function readStoredForm(
  storage: Pick<Storage, 'getItem' | 'removeItem'>,
): StoredUploadForm | undefined {
  let text: string | null;
  try {
    text = storage.getItem(UPLOAD_FORM_KEY);
  } catch {
    return undefined; // no storage in this window: nothing to restore
  }
  if (text === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = StoredUploadForm.safeParse(json);
  if (parsed.success) return parsed.data;
  try {
    storage.removeItem(UPLOAD_FORM_KEY);
  } catch {
    // nothing more to do: it is ignored either way
  }
  return undefined;
}

/** Keeps the form for this window; a full or missing storage only means no restore. */
export function writeStoredForm(
  storage: Pick<Storage, 'setItem'>,
  form: StoredUploadFormInput,
): void {
  try {
    storage.setItem(UPLOAD_FORM_KEY, JSON.stringify(form));
  } catch {
    // the form still works; only a reload would lose it, as before
  }
}

/** Forgets the kept form (a new upload starts empty). */
export function clearStoredForm(storage: Pick<Storage, 'removeItem'>): void {
  try {
    storage.removeItem(UPLOAD_FORM_KEY);
  } catch {
    // nothing kept, nothing to forget
  }
}
