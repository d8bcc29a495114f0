/**
 * "Redémarrer pour mettre à jour" in Chromium through the browser host. The host has no
 * updater (nothing to update in a browser), so the bridge's two update methods are answered by
 * the test, as the desktop's main process would answer them: one ready update, and a restart
 * refused while a document is being sent.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../../src-shared/errors';
import { expectNoAxeViolations, focusedName, POLL, screenshot, startStack, tabTo, type Stack } from '../../support/renderer-e2e';

let stack: Stack;
let page: Page;
const restarts: unknown[] = [];

beforeAll(async () => {
  stack = await startStack('update-notice', { viewport: { width: 1100, height: 900 } });
  page = stack.page;
  await page.route('**/bridge/getUpdateStatus', (route) =>
    route.fulfill({ json: { ok: true, value: { state: 'ready', version: '0.2.0' } } }),
  );
  await page.route('**/bridge/restartToUpdate', (route) => {
    restarts.push(route.request().postDataJSON());
    return route.fulfill({
      json: { ok: false, error: { code: 'update_waits_for_work', message: ERRORS.update_waits_for_work.message } },
    });
  });
  await page.reload();
});

afterAll(async () => {
  await stack?.close();
});

describe('a downloaded update', () => {
  it('is announced calmly, with the version, and the choice to restart now', async () => {
    const note = page.getByRole('status').filter({ hasText: 'Une nouvelle version' });
    await note.waitFor(POLL);
    expect(await note.textContent()).toContain('(0.2.0)');
    expect(await note.textContent()).toContain("s'installera à la fermeture");
    await expectNoAxeViolations(page, 'update notice');
    await screenshot(page, 'update-notice');
  });

  it('is reached with the keyboard; a refused restart says why, and nothing else happens', async () => {
    await tabTo(page, /^Redémarrer pour mettre à jour$/);
    expect(await focusedName(page)).toBe('Redémarrer pour mettre à jour');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'la mise à jour attendra la fin' }).waitFor(POLL);
    expect(restarts).toEqual([{}]);
    await expectNoAxeViolations(page, 'update refused');
  });
});
