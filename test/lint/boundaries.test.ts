// The architecture's import boundaries are lint rules (eslint.config.js); this proves each rule
// fires on a violation and stays quiet on the allowed form.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function messages(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${path}` });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => m.message);
}

describe('architecture boundaries', () => {
  it('keeps electron and node:* out of the renderer', async () => {
    expect(await messages('renderer/src/x.ts', "import { shell } from 'electron';\nvoid shell;\n")).not.toEqual([]);
    expect(await messages('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n")).not.toEqual([]);
    expect(await messages('renderer/src/x.ts', "import { commands } from '../../shared/contract.ts';\nvoid commands;\n")).toEqual([]);
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
