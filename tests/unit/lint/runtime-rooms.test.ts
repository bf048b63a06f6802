import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they were files in each folder, with the project's real config, so the
// rules that keep each runtime in its room are proven to fire (CONVENTIONS.md 1).
const eslint = new ESLint();

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? 'fatal');
}

describe('runtime rooms', () => {
  it('fails an electron import inside core/', async () => {
    const ids = await ruleIdsFor(
      'core/engine/leak.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('fails a React import inside core/', async () => {
    const ids = await ruleIdsFor(
      'core/csv/leak.ts',
      "import { useState } from 'react';\nexport const a = useState;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('fails a raw ipcRenderer import outside electron/ipc/', async () => {
    const ids = await ruleIdsFor(
      'electron/preload-leak.ts',
      "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
    );
    expect(ids).toContain('no-restricted-syntax');
  });

  it('fails a raw ipcMain use outside electron/ipc/', async () => {
    const ids = await ruleIdsFor(
      'electron/main-leak.ts',
      "import electron from 'electron';\nexport const a = electron.ipcMain;\n",
    );
    expect(ids).toContain('no-restricted-syntax');
  });

  it('fails a Node built-in inside renderer/', async () => {
    const ids = await ruleIdsFor(
      'renderer/src/leak.ts',
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('accepts the typed wrappers where they belong', async () => {
    const ids = await ruleIdsFor(
      'electron/ipc/ok.ts',
      "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n",
    );
    expect(ids).toEqual([]);
  });
});
