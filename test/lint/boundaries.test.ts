// The architecture's import boundaries are lint rules (eslint.config.js); this proves each rule
// fires on a violation and stays quiet on the allowed form.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// the snippets are files no tsconfig lists: lint them without type information (the boundary
// rules need none; the type-aware ones would only report that the file is in no project)
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

async function messages(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId?.startsWith('no-restricted') || m.ruleId?.startsWith('boundaries/'))
    .map((m) => m.message);
}

const importing = (from: string) => `import { x } from '${from}';\nvoid x;\n`;

describe('architecture boundaries', () => {
  it('lets a layer import its own and the ones below, never one above (the layer table)', async () => {
    // climbing a floor
    expect(await messages('electron/core/store/x.ts', importing('../queue/engine.ts'))).toEqual([
      expect.stringContaining('"store" to elements of type "queue"'),
    ]);
    expect(await messages('electron/core/queue/x.ts', importing('../adapters/types.ts'))).not.toEqual([]);
    expect(await messages('electron/core/adapters/x.ts', importing('../pipeline/ingest.ts'))).not.toEqual([]);
    expect(await messages('electron/core/pipeline/x.ts', importing('../app/commands.ts'))).not.toEqual([]);
    expect(await messages('electron/core/base/x.ts', importing('../store/jobs.ts'))).not.toEqual([]);
    expect(await messages('electron/core/store/x.ts', importing('../index.ts'))).not.toEqual([]);
    expect(await messages('electron/core/app/x.ts', importing('../../cli/index.ts'))).not.toEqual([]);
    // going down or sideways within a layer
    expect(await messages('electron/core/pipeline/x.ts', importing('../store/jobs.ts'))).toEqual([]);
    expect(await messages('electron/core/queue/x.ts', importing('../base/failures.ts'))).toEqual([]);
    expect(await messages('electron/core/adapters/x.ts', importing('./types.ts'))).toEqual([]);
    expect(await messages('electron/cli/x.ts', importing('../core/index.ts'))).toEqual([]);
  });

  it('keeps electron and node:* out of the renderer', async () => {
    expect(await messages('renderer/src/x.ts', "import { shell } from 'electron';\nvoid shell;\n")).not.toEqual([]);
    expect(await messages('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n")).not.toEqual([]);
    expect(await messages('renderer/src/x.ts', "import { commands } from '../../shared/contract.ts';\nvoid commands;\n")).toEqual([]);
  });

  it('keeps SQL in the store', async () => {
    const query = "export const n = (store: { db: { get(sql: string): unknown } }) => store.db.get('SELECT COUNT(*) FROM jobs');\n";
    expect(await messages('electron/core/pipeline/x.ts', query)).toEqual([expect.stringContaining('SQL only in electron/core/store/')]);
    expect(await messages('electron/core/app/x.ts', query)).not.toEqual([]);
    expect(await messages('electron/core/store/x.ts', query)).toEqual([]);
  });

  it('keeps Electron, Node and the DOM out of shared/', async () => {
    expect(await messages('shared/x.ts', "import { join } from 'node:path';\nvoid join;\n")).not.toEqual([]);
    expect(await messages('shared/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toEqual([]);
    expect(await messages('shared/x.ts', 'export const w = window.location;\n')).not.toEqual([]);
  });

  it('keeps electron out of the core', async () => {
    expect(await messages('electron/core/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toEqual([]);
    expect(await messages('electron/core/x.ts', "import { join } from 'node:path';\nvoid join;\n")).toEqual([]);
  });

  it('allows raw ipcMain / ipcRenderer only in the two IPC modules', async () => {
    expect(await messages('electron/main/window.ts', "import { ipcMain } from 'electron';\nvoid ipcMain;\n")).not.toEqual([]);
    expect(await messages('electron/main/ipc.ts', "import { ipcMain } from 'electron';\nvoid ipcMain;\n")).toEqual([]);
    expect(await messages('electron/preload/index.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n")).toEqual([]);
    expect(await messages('electron/main/app.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n")).not.toEqual([]);
  });
});
