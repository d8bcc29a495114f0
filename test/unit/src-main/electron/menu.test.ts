import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../../support/fake-electron'));

import type { MenuItemConstructorOptions } from 'electron';
import * as fake from '../../../support/fake-electron';
import { menuTemplate, setApplicationMenu } from '../../../../src-main/electron/menu';
import { createMainWindow } from '../../../../src-main/electron/window';

/** Every item of a menu template, submenus included. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

const DEVELOPER_ROLES = new Set(['toggleDevTools', 'reload', 'forceReload']);

afterEach(() => {
  fake.app.isPackaged = false;
});

describe('application menu', () => {
  it.each(['win32', 'linux', 'darwin'] as const)('packaged on %s: no developer tools, no reload', (platform) => {
    const all = items(menuTemplate({ packaged: true, platform }));
    expect(all.filter((item) => item.role && DEVELOPER_ROLES.has(item.role))).toEqual([]);
    expect(all.some((item) => item.role === 'quit')).toBe(true);
    expect(all.some((item) => item.role === 'copy')).toBe(true);
  });

  it('in development, the developer tools are there', () => {
    const all = items(menuTemplate({ packaged: false, platform: 'linux' }));
    expect(all.some((item) => item.role === 'toggleDevTools')).toBe(true);
  });

  it('speaks French: every visible item has a French label of its own', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      for (const item of items(menuTemplate({ packaged: true, platform }))) {
        if (item.type === 'separator') continue;
        expect(item.label, JSON.stringify(item)).toMatch(/\S/);
        expect(item.label).not.toMatch(/^(File|Edit|View|Window|Quit|Copy|Paste|Undo|Redo)$/);
      }
    }
    expect(menuTemplate({ packaged: true, platform: 'win32' }).map((m) => m.label)).toEqual([
      'Fichier',
      'Édition',
      'Affichage',
      'Fenêtre',
    ]);
  });

  it("is the one the shell sets, built for the app as it runs (here: packaged)", () => {
    fake.app.isPackaged = true;
    setApplicationMenu();
    const set = fake.Menu.application as { template: MenuItemConstructorOptions[] };
    expect(items(set.template).some((item) => item.role === 'toggleDevTools')).toBe(false);
    expect(set.template.map((m) => m.label)).toContain('Édition');
  });

  it('a packaged window has its developer tools switched off', () => {
    fake.app.isPackaged = true;
    const packaged = createMainWindow('/x/preload.cjs') as unknown as fake.FakeBrowserWindow;
    expect((packaged.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
    fake.app.isPackaged = false;
    const dev = createMainWindow('/x/preload.cjs') as unknown as fake.FakeBrowserWindow;
    expect((dev.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
  });
});
