import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/**
 * Rooms by runtime (CONVENTIONS.md 1): core/ is plain Node, renderer/ is the browser, and only
 * electron/ipc's typed wrappers may touch ipcMain/ipcRenderer.
 */
export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'test-results/',
      'playwright-report/',
      'tests/fixtures/',
      'bench-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'core/ runs in plain Node: no electron import.' },
            { name: 'react', message: 'core/ runs in plain Node: no React.' },
            { name: 'react-dom', message: 'core/ runs in plain Node: no React.' },
            {
              name: 'electron-store',
              message: 'core/ uses conf; electron-store lives in electron/.',
            },
          ],
          patterns: [
            { group: ['react-dom/*', 'electron/*'], message: 'core/ runs in plain Node.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'core/ has no DOM.' },
        { name: 'document', message: 'core/ has no DOM.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'renderer/ runs in the browser: no Node built-ins.',
            })),
            {
              name: 'electron',
              message: 'The renderer talks only to window.sluice (the contract).',
            },
          ],
        },
      ],
      // The app asks in its own modal (components/confirm-dialog.tsx, docs/ARCHITECTURE.md
      // "Dialogs"): a native box names the browser or Electron and blocks the renderer.
      ...Object.fromEntries(
        ['no-restricted-globals', 'no-restricted-properties'].map((rule) => [
          rule,
          [
            'error',
            ...['confirm', 'alert', 'prompt'].map((name) => ({
              ...(rule === 'no-restricted-globals'
                ? { name }
                : { object: 'window', property: name }),
              message: `No native ${name}(): ask with useConfirm() (components/confirm-dialog.tsx) or show the message in the page.`,
            })),
          ],
        ]),
      ),
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['electron/ipc/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]',
          message: 'Use the typed wrappers in electron/ipc/ instead of raw ipcMain/ipcRenderer.',
        },
        {
          selector: 'MemberExpression[property.name=/^ipc(Main|Renderer)$/]',
          message: 'Use the typed wrappers in electron/ipc/ instead of raw ipcMain/ipcRenderer.',
        },
      ],
    },
  },
  prettier,
);
