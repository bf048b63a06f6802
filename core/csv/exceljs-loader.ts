import type ExcelJS from 'exceljs';

/** The exceljs module (CommonJS), as its default export. */
export type ExcelJsModule = typeof ExcelJS;

let loading: Promise<ExcelJsModule> | undefined;

/**
 * Loads exceljs on first use. Importing it costs ~0.8 s of start-up (measured with Node 20), paid
 * only when a workbook is read or written: a CSV-only `sluice prepare` and the prepare worker
 * start without it.
 */
export function loadExcelJs(): Promise<ExcelJsModule> {
  loading ??= import('exceljs').then(
    (module) => (module as { default?: ExcelJsModule }).default ?? (module as ExcelJsModule),
  );
  return loading;
}
