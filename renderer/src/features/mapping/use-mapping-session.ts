import { useState } from 'react';
import type {
  ColumnMatchShape,
  CsvInspection,
  PreviewRow,
  SchemaSource,
  SchemaSummary,
} from '../../../../core/contract';
import { useApi } from '../../api/context';
import { useBusyAction } from '../../components/use-busy-action';
import { fileChange, headersRead, type FileMark } from './file-change';
import type { MappingDraft } from './mapping-model';
import { localeCountry } from './locale-country';
import { sheetsStillThere, switchSheet, type SheetMappings } from './sheet-mappings';

/** Everything the mapping step knows: the file, the list's columns, the mapping, the preview. */
export interface MappingSession {
  csvPath: string;
  setCsvPath: (path: string) => void;
  inspection?: CsvInspection;
  schema?: SchemaSummary;
  matches: ColumnMatchShape[];
  mapping?: MappingDraft;
  setMapping: (mapping: MappingDraft) => void;
  preview?: { columns: string[]; rows: PreviewRow[] };
  busy: boolean;
  error?: string;
  /** What a read that kept an earlier mapping found changed in the file (see `load`). */
  notice?: string;
  /**
   * Reads the file (for a workbook, `sheet` or else its first sheet with data) and the list's
   * columns, then auto-matches them; with `kept`, takes that mapping instead of the auto-match
   * (an Upload form restored after a reload) and says if the file changed since `kept.file`.
   * The preview then checks the mapping against the list's columns and the file's headers, as it
   * checks any mapping. True when the file and the list's columns were read.
   */
  load: (source: SchemaSource, sheet?: string, kept?: KeptMapping) => Promise<boolean>;
  /** The sheet read when the file is a workbook; every later call reads the same sheet. */
  sheet?: string;
  /**
   * Reads another sheet of the workbook read: the mapping made for the sheet left is remembered,
   * and a sheet mapped before in this form gets its mapping back (one never visited is
   * auto-matched). A Read of the file (`load` without a kept mapping) forgets them all.
   */
  switchSheet: (sheet: string) => Promise<void>;
  /** The mappings made for the workbook's other sheets (kept across a reload with the form). */
  otherSheets: SheetMappings;
  /** Maps the first rows with the current mapping. */
  refreshPreview: () => Promise<void>;
  source?: SchemaSource;
}

/** A mapping made before (kept across a reload), with the file it was made for. */
export interface KeptMapping {
  mapping: MappingDraft;
  file?: FileMark;
  /** The mappings made for the workbook's other sheets before the reload. */
  otherSheets?: SheetMappings;
}

/**
 * State and actions of the mapping step, shared by the Prepare and Upload screens; `initialPath`
 * is the file path a restored form starts from.
 */
export function useMappingSession(initialPath = ''): MappingSession {
  const api = useApi();
  const [csvPath, setCsvPath] = useState(initialPath);
  const [notice, setNotice] = useState<string>();
  const [inspection, setInspection] = useState<CsvInspection>();
  const [schema, setSchema] = useState<SchemaSummary>();
  const [source, setSource] = useState<SchemaSource>();
  const [matches, setMatches] = useState<ColumnMatchShape[]>([]);
  const [mapping, setMappingState] = useState<MappingDraft>();
  const [preview, setPreview] = useState<{ columns: string[]; rows: PreviewRow[] }>();
  const [otherSheets, setOtherSheets] = useState<SheetMappings>({});
  const { busy, error, run } = useBusyAction();

  const showPreview = async (
    path: string,
    sheet: string | undefined,
    from: SchemaSource,
    draft: MappingDraft,
  ) => {
    setPreview(
      await api.invoke('csv:preview', {
        path,
        ...(sheet ? { sheet } : {}),
        source: from,
        mapping: draft,
        rows: 25,
      }),
    );
  };

  /**
   * Reads `path` (its `sheet`) and the list's columns; the mapping is `kept.mapping` when given,
   * else the auto-match. The other sheets' mappings become `kept.otherSheets` (none without).
   */
  const read = async (
    path: string,
    from: SchemaSource,
    sheet: string | undefined,
    kept: Partial<KeptMapping> | undefined,
  ): Promise<boolean> => {
    let done = false;
    await run(async () => {
      setPreview(undefined);
      setNotice(undefined);
      const file = await api.invoke('csv:inspect', { path, ...(sheet ? { sheet } : {}) });
      const columns = await api.invoke('csv:schema', { source: from });
      const matched = await api.invoke('csv:autoMatch', { headers: file.headers, source: from });
      setInspection(file);
      setSchema(columns);
      setSource(from);
      done = true;
      let draft: MappingDraft;
      if (kept?.mapping) {
        draft = kept.mapping;
        setNotice(fileChange(kept.file, file, headersRead(kept.mapping)));
      } else {
        // National-format numbers need a country: start from this computer's (shown, changeable).
        const country = matched.mapping.phone?.defaultCountry ?? (await localeCountry());
        draft = country
          ? { ...matched.mapping, phone: { ...matched.mapping.phone, defaultCountry: country } }
          : matched.mapping;
      }
      const others = kept?.otherSheets ?? {};
      setOtherSheets(file.sheet ? sheetsStillThere(others, file.sheets ?? []) : {});
      setMatches(matched.matches);
      setMappingState(draft);
      await showPreview(file.path, file.sheet, from, draft);
    });
    return done;
  };

  return {
    csvPath,
    setCsvPath,
    inspection,
    schema,
    matches,
    mapping,
    preview,
    busy,
    error,
    notice,
    source,
    sheet: inspection?.sheet,
    setMapping: (draft) => {
      setMappingState(draft);
      setPreview(undefined);
    },
    load: (from, sheet, kept) => read(csvPath.trim(), from, sheet, kept),
    switchSheet: async (next) => {
      if (!source || !inspection || next === inspection.sheet) return;
      const moved = switchSheet(
        otherSheets,
        mapping && inspection.sheet ? { sheet: inspection.sheet, mapping } : undefined,
        next,
      );
      // A sheet mapped before in this form is the same file's: nothing to compare it with.
      await read(inspection.path, source, next, {
        ...(moved.mapping ? { mapping: moved.mapping } : {}),
        otherSheets: moved.others,
      });
    },
    otherSheets,
    refreshPreview: () =>
      run(async () => {
        if (inspection && source && mapping) {
          await showPreview(inspection.path, inspection.sheet, source, mapping);
        }
      }),
  };
}
