/**
 * "Copier le rapport pour l'assistance" on the follow-up screen, in Chromium through the browser
 * host: the report goes to the clipboard and the live region says so; where the clipboard is
 * refused, the text is offered in a read-only field, selected. Neither holds the person's data.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../src-main/core/api-client';
import { ERRORS } from '../../../src-shared/errors';
import { createLogBook } from '../../../src-shared/log';
import { toWire } from '../../../src-shared/wire';
import { distinctJpeg } from '../../support/assistant-harness';
import { DEMO_MAI, DEMO_PEOPLE } from '../../support/demo';
import { expectNoAxeViolations, logInFromWelcome, POLL, screenshot, startStack, tabTo, type Stack } from '../../support/renderer-e2e';

let stack: Stack;
let page: Page;
const filenames = ['identite-mai.jpg', 'diplome-mai.jpg'];

beforeAll(async () => {
  stack = await startStack('support-report', { viewport: { width: 1100, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  page = stack.page;
  // The dossier is closed beforehand, straight through the companion API: this test is about the follow-up screen.
  const api = new ApiClient({ baseUrl: stack.apiUrl, log: createLogBook() });
  await api.login(DEMO_MAI.dossier, DEMO_MAI.password);
  await api.upload('identite', { filename: filenames[0]!, mediaType: 'image/jpeg', bytes: await distinctJpeg() });
  await api.upload('diplome', { filename: filenames[1]!, mediaType: 'image/jpeg', bytes: await distinctJpeg() });
  await api.close();
});

afterAll(async () => {
  await stack?.close();
});

const button = () => page.getByRole('button', { name: "Copier le rapport pour l'assistance" });
const personal = [DEMO_MAI.dossier, DEMO_PEOPLE.mai.firstName, DEMO_PEOPLE.mai.lastName, DEMO_MAI.password, ...filenames];

describe('the support report on the follow-up screen', () => {
  it('is copied to the clipboard with the keyboard, and the screen says so', async () => {
    await logInFromWelcome(page, DEMO_MAI);
    await page.getByRole('heading', { level: 1, name: 'Suivi de mon dossier' }).waitFor(POLL);

    await tabTo(page, /^Copier le rapport pour l'assistance$/);
    await page.keyboard.press('Enter');
    const status = page.getByRole('status').filter({ hasText: 'Rapport copié' });
    await expect.poll(() => status.textContent(), POLL).toBe("Rapport copié : collez-le dans votre message à l'assistance.");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^Rapport pour l'assistance — Assistant Dépôt\n/);
    expect(copied).toContain("Version de l'application : ");
    expect(copied).toContain('Mode guichet : désactivé');
    for (const secret of personal) expect(copied).not.toContain(secret);
    await expectNoAxeViolations(page, 'Suivi, rapport copié');
    await screenshot(page, 'support-report-copied');
  });

  it('where the clipboard is refused, offers the text selected in a read-only field', async () => {
    await page.evaluate(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new DOMException('refusé', 'NotAllowedError')) });
    });
    await button().click();
    const field = page.getByLabel('Sélectionnez le texte puis copiez-le');
    await field.waitFor(POLL);
    expect(await field.getAttribute('readonly')).not.toBeNull();
    const text = await field.inputValue();
    expect(text).toMatch(/^Rapport pour l'assistance/);
    for (const secret of personal) expect(text).not.toContain(secret);
    // Focused with its whole text selected: Ctrl+C is all that is left to do.
    expect(await page.evaluate(() => {
      const el = document.activeElement as HTMLTextAreaElement;
      return el.tagName === 'TEXTAREA' && el.selectionStart === 0 && el.selectionEnd === el.value.length;
    })).toBe(true);
    await expectNoAxeViolations(page, 'Suivi, rapport à copier à la main');
    await screenshot(page, 'support-report-manual');
  });

  it('is offered under an error the candidate cannot put right, and only there', async () => {
    // The receipt's answer is replaced by a fault of the app's: the screen says so, with the button under it.
    await page.route('**/bridge/getReceipt', (route) =>
      route.fulfill({ contentType: 'application/json', body: toWire({ ok: false, error: { code: 'internal_error', message: ERRORS.internal_error.message } }) }),
    );
    await page.reload();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), POLL).toBe(ERRORS.internal_error.message);
    // One under the alert, one in "Besoin d'aide ?".
    await expect.poll(() => button().count(), POLL).toBe(2);
    await button().first().click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Rapport copié' }).count(), POLL).toBe(1);

    // An answer that is no fault of the app's comes without it.
    await page.unroute('**/bridge/getReceipt');
    await page.route('**/bridge/getReceipt', (route) =>
      route.fulfill({ contentType: 'application/json', body: toWire({ ok: false, error: { code: 'not_closed', message: ERRORS.not_closed.message } }) }),
    );
    await page.reload();
    await expect.poll(() => alert.textContent(), POLL).toBe(ERRORS.not_closed.message);
    expect(await button().count()).toBe(1);
    await page.unroute('**/bridge/getReceipt');
  });
});

