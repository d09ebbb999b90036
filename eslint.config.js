// Flat config. Besides the usual rules it enforces the architecture's boundaries:
// the layer table below (each layer imports only itself and the layers under it), renderer -> no
// electron / node:*, shared -> no electron / node / DOM, core -> no electron, raw ipcMain /
// ipcRenderer only in the two IPC modules.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ipcModules = ['electron/main/ipc.ts', 'electron/preload/index.ts'];

/**
 * The layers, lowest first (ARCHITECTURE.md draws the same table). A file may import its own layer
 * and any layer below it, never one above: an arrow that climbs a floor is a lint error.
 */
const LAYERS = [
  ['ground', ['shared', 'electron/core/{base,config,net,prompt,imaging}']],
  ['store', ['electron/core/store']],
  ['queue', ['electron/core/queue']],
  ['relay', ['electron/core/relay']],
  ['adapters', ['electron/core/adapters']],
  ['pipeline', ['electron/core/pipeline']],
  ['settings', ['electron/core/settings']],
  // the core's front door (index.ts) wires everything together: the app layer
  ['app', ['electron/core/{app,accounts,desk}', 'electron/core']],
  ['shells', ['electron/{main,preload,bridge,cli,utility}']],
];
const ipcOnlyInItsModules = [
  { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'ipcMain only in electron/main/ipc.ts' },
  { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'ipcRenderer only in electron/preload/index.ts' },
];
const sqlOnlyInStore = {
  selector: "CallExpression[callee.property.name=/^(get|all|run|exec|prepare)$/][callee.object.property.name='db']",
  message: 'SQL only in electron/core/store/: add a function there that returns domain values',
};
const layerElements = LAYERS.flatMap(([type, patterns]) => patterns.map((pattern) => ({ type, pattern, partialMatch: false })));
const layerPolicies = LAYERS.map(([type], level) => ({
  from: { element: { type } },
  allow: { to: { element: { types: { anyOf: LAYERS.slice(0, level + 1).map(([below]) => below) } } } },
}));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', '.tools/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  // type-aware: the rules see the types (one program, tsconfig.json, which covers every .ts file)
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { globals: { ...globals.node }, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // a promise nobody awaits loses its failure; fire-and-forget is written `void` with a comment saying why
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // off on purpose: an `async` method without `await` is how an adapter or fake returns a rejected
      // promise instead of throwing synchronously to a caller that expects a promise
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // the board store's actions are zustand closures (see the renderer block below): destructuring them from
  // getState() in the store's tests is how they are called, never `this`-bound
  { files: ['test/renderer/**/*.{ts,tsx}'], rules: { '@typescript-eslint/unbound-method': 'off' } },
  // plain JavaScript (this file, the launcher, build scripts) has no types to check
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layerElements,
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: layerPolicies }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // the board store's actions are zustand closures declared with method syntax, never `this`-bound:
      // every `useBoard((s) => s.approve)` would be a false alarm
      '@typescript-eslint/unbound-method': 'off',
      'no-restricted-imports': ['error', { paths: ['electron', ...nodeBuiltins], patterns: ['**/electron/**'] }],
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
    rules: { 'no-restricted-syntax': ['error', ...ipcOnlyInItsModules] },
  },
  // SQL only in the store: the rest of the app calls its functions and gets domain values back
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/core/store/**', ...ipcModules],
    rules: { 'no-restricted-syntax': ['error', ...ipcOnlyInItsModules, sqlOnlyInStore] },
  },
  {
    files: ipcModules,
    rules: { 'no-restricted-syntax': ['error', sqlOnlyInStore] },
  },
);
