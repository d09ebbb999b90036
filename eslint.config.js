// Flat config. Besides the usual rules it enforces the architecture's boundaries:
// renderer -> no electron / node:*, shared -> no electron / node / DOM, core -> no electron,
// raw ipcMain / ipcRenderer only in the two IPC modules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ipcModules = ['electron/main/ipc.ts', 'electron/preload/index.ts'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', '.tools/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { paths: ['electron', ...nodeBuiltins], patterns: ['**/electron/**'] },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', ...nodeBuiltins], patterns: ['**/electron/**', '**/renderer/**'] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer'],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts', 'electron/bridge/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/renderer/**', '**/main/**', '**/preload/**'] }],
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    ignores: ipcModules,
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'ipcMain only in electron/main/ipc.ts' },
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'ipcRenderer only in electron/preload/index.ts' },
      ],
    },
  },
);
