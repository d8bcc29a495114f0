/**
 * The person stays in charge of a photo's page, in Chromium through the browser host, with the
 * real document engine: the warnings beside the page ("Reprendre la photo", "Envoyer quand
 * même"), the corner editor by keyboard ("Recadrer", "Recadrer automatiquement", "Garder la
 * photo entière") and black and white. What reaches the engine is read on the bridge.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageRef, PreparedDocument } from '../../../src-shared/assistant-api';
import { SCAN_CHECKS } from '../../../src-shared/errors';
import { fromWire } from '../../../src-shared/wire';
import { keyStep } from '../../../src-renderer/corner-geometry';
import { DEMO_MAI } from '../../support/demo';
import { expectNoAxeViolations, focusedName, logInFromWelcome, POLL, screenshot, startStack, tabTo, type Stack } from '../../support/renderer-e2e';
import { generatePhoto, type GeneratedPhoto } from '../../support/scan-photos';

let stack: Stack;
let page: Page;
let dir: string;
/** Every prepareDocument the page asked for, with the assistant's answer. */
const prepared: { pages: PageRef[]; answer: PreparedDocument | null }[] = [];
const photos: Record<'clean' | 'blurred' | 'other', { file: string; photo: GeneratedPhoto }> = {} as never;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'corner-editor-photos-'));
  const make = async (name: keyof typeof photos, seed: number, defects: ('blurred')[] = []) => {
    const photo = await generatePhoto(seed, { kind: 'page', longSide: 2000, defects });
    const file = path.join(dir, photo.name);
    await writeFile(file, photo.bytes);
    photos[name] = { file, photo };
  };
  await make('clean', 7);
  await make('blurred', 21, ['blurred']);
  await make('other', 9);
  stack = await startStack('corner-editor', { timezoneId: 'Europe/Paris', viewport: { width: 1100, height: 900 } });
  page = stack.page;
  page.on('response', (response) => {
    if (!response.url().endsWith('/bridge/prepareDocument')) return;
    const sent = JSON.parse(response.request().postData() ?? '{}') as { pages: PageRef[] };
    const entry: (typeof prepared)[number] = { pages: sent.pages, answer: null };
    prepared.push(entry);
    void response.text().then((text) => {
      const result = fromWire(text) as { ok: boolean; value?: PreparedDocument };
      entry.answer = result.ok ? result.value! : null;
    });
  });
  await logInFromWelcome(page, DEMO_MAI);
  await page.getByRole('heading', { level: 1, name: 'Mes pièces' }).waitFor();
});

afterAll(async () => {
  await stack?.close();
});

const dialog = () => page.getByRole('dialog');

async function open(pieceLabel: string, ...files: string[]) {
  await page.getByRole('button', { name: `Ajouter un document : ${pieceLabel}` }).click();
  await dialog().waitFor();
  const chooser = page.waitForEvent('filechooser');
  await dialog().getByRole('button', { name: 'Choisir un fichier' }).click();
  await (await chooser).setFiles(files);
  await ready();
}

/** Waits until the document is built again and the assistant has answered: that answer. */
async function ready(after = prepared.length): Promise<PreparedDocument> {
  await expect.poll(() => prepared.length > after && prepared.at(-1)!.answer !== null, { timeout: 90_000 }).toBe(true);
  const send = page.getByRole('button', { name: 'Ajouter le fichier' });
  await expect.poll(() => send.isEnabled(), { timeout: 90_000 }).toBe(true);
  return prepared.at(-1)!.answer!;
}

async function thumbnail(n: number) {
  const img = dialog().locator('.page-grid > li').nth(n - 1).locator('img');
  return img.evaluate((i: HTMLImageElement) => ({ alt: i.alt, width: i.naturalWidth, height: i.naturalHeight, describedBy: i.getAttribute('aria-describedby') }));
}

async function sendAndClose() {
  await page.getByRole('button', { name: 'Ajouter le fichier' }).click();
  await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'OK' }).click();
  await dialog().waitFor({ state: 'detached' });
}

describe('the corner editor', () => {
  it('shows the page flattened and cropped, then moves two corners by keyboard: the engine gets them', async () => {
    await open("Pièce d'identité", photos.clean.file);
    const first = prepared.at(-1)!;
    expect(first.pages).toEqual([{ file: 0, page: 0 }]);
    const found = first.answer!.report![0]!;
    // The engine found the page where the photo was made (within 2 % of the photo's side).
    found.corners!.forEach(([x, y], i) => {
      expect(Math.abs(x - photos.clean.photo.corners![i]![0])).toBeLessThan(40);
      expect(Math.abs(y - photos.clean.photo.corners![i]![1])).toBeLessThan(40);
    });
    // The thumbnail is the page as sent: an A4 sheet, not the photo with the table around it.
    const before = await thumbnail(1);
    expect(before.alt).toMatch(/^Page 1 sur 1, recadrée et redressée/);
    expect(before.width / before.height).toBeCloseTo(210 / 297, 1);

    await dialog().getByRole('button', { name: 'Recadrer la page 1' }).click();
    await dialog().getByRole('heading', { name: 'Recadrer la page 1' }).waitFor();
    await expect.poll(() => focusedName(page), POLL).toBe('Recadrer la page 1');
    await expect.poll(() => dialog().locator('.corner-stage img').evaluate((i: HTMLImageElement) => i.naturalWidth), POLL).toBeGreaterThan(1000);
    await expectNoAxeViolations(page, 'Recadrer');
    await screenshot(page, 'recadrer-page');

    const topLeft = page.getByRole('slider', { name: 'Coin en haut à gauche' });
    const where = await topLeft.getAttribute('aria-valuetext');
    expect(where).toMatch(/^à [\d,]+ % depuis la gauche et à [\d,]+ % depuis le haut de la photo$/);
    await tabTo(page, /^Coin en haut à gauche$/, 5);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('ArrowDown');
    // The new place is said in words.
    expect(await topLeft.getAttribute('aria-valuetext')).not.toBe(where);
    await tabTo(page, /^Coin en bas à gauche$/, 5);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await screenshot(page, 'recadrer-page-clavier');

    const count = prepared.length;
    await dialog().getByRole('button', { name: 'Valider ce cadrage' }).click();
    const moved = await ready(count);
    // The focus comes back to the page's "Recadrer".
    await expect.poll(() => focusedName(page), POLL).toBe('Recadrer la page 1');

    // The upright photo is 1500 × 2000 or 2000 × 1500: one arrow is a 200th of its long side.
    const small = keyStep({ width: 2000, height: 2000 }, false);
    const large = keyStep({ width: 2000, height: 2000 }, true);
    const d = found.corners!;
    expect(prepared.at(-1)!.pages).toEqual([
      {
        file: 0,
        page: 0,
        corners: [
          [d[0][0] + 3 * large, d[0][1] + small],
          d[1],
          d[2],
          [d[3][0] + 3 * large, d[3][1]],
        ],
      },
    ]);
    expect(moved.report![0]!.corners).toEqual(prepared.at(-1)!.pages[0]!.corners);
    // A third of the page's width cut off: what is sent is narrower than an A4 sheet.
    const after = await thumbnail(1);
    expect(after.width / after.height).toBeLessThan(0.6);
  });

  it('moves a corner with the mouse and a finger, never out of the photo; « Recadrer automatiquement » goes back to the engine’s corners', async () => {
    await dialog().getByRole('button', { name: 'Recadrer la page 1' }).click();
    const topRight = page.getByRole('slider', { name: 'Coin en haut à droite' });
    const where = await topRight.getAttribute('aria-valuetext');
    const box = (await topRight.boundingBox())!;
    const stage = (await dialog().locator('.corner-stage').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2 - 20, { steps: 4 });
    await page.mouse.up();
    expect(await topRight.getAttribute('aria-valuetext')).not.toBe(where);
    // Dragged far past the photo's top right: the corner stops on the photo's edge.
    await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2 - 20);
    await page.mouse.down();
    await page.mouse.move(stage.x + stage.width + 300, stage.y - 300, { steps: 4 });
    await page.mouse.up();
    expect(await topRight.getAttribute('aria-valuetext')).toBe('à 100 % depuis la gauche et à 0 % depuis le haut de la photo');
    // A finger: Chromium's own touch events (pointer events of type "touch") drag the bottom-right corner up and left.
    const bottomRight = page.getByRole('slider', { name: 'Coin en bas à droite' });
    const position = async () =>
      /^à ([\d,]+) % depuis la gauche et à ([\d,]+) % depuis le haut/
        .exec((await bottomRight.getAttribute('aria-valuetext'))!)!
        .slice(1)
        .map((n) => Number(n.replace(',', '.')));
    const [acrossBefore, downBefore] = await position();
    const finger = (await bottomRight.boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    const [fx, fy] = [finger.x + finger.width / 2, finger.y + finger.height / 2];
    await touch('touchStart', fx, fy);
    for (let i = 1; i <= 4; i++) await touch('touchMove', fx - 10 * i, fy - 10 * i);
    await touch('touchEnd', fx - 40, fy - 40);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: false });
    const [acrossAfter, downAfter] = await position();
    // 40 screen pixels on a stage about 400 × 530: several percent of the photo each way.
    expect(acrossBefore! - acrossAfter!).toBeGreaterThan(100 * (30 / stage.width));
    expect(downBefore! - downAfter!).toBeGreaterThan(100 * (30 / stage.height));
    const count = prepared.length;
    await dialog().getByRole('button', { name: 'Recadrer automatiquement' }).click();
    await ready(count);
    expect(prepared.at(-1)!.pages).toEqual([{ file: 0, page: 0 }]);
    const back = await thumbnail(1);
    expect(back.width / back.height).toBeCloseTo(210 / 297, 1);
  });

  it('shows a page the person turned as it is turned, its handles named and moved as seen', async () => {
    await dialog().getByRole('button', { name: 'Tourner la page 1 vers la droite' }).click();
    await dialog().getByRole('button', { name: 'Recadrer la page 1' }).click();
    const names = ['Coin en haut à gauche', 'Coin en haut à droite', 'Coin en bas à droite', 'Coin en bas à gauche'];
    const boxes = await Promise.all(names.map(async (name) => (await page.getByRole('slider', { name }).boundingBox())!));
    const [tl, tr, br, bl] = boxes.map((b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 }));
    expect(tl!.x).toBeLessThan(tr!.x);
    expect(bl!.x).toBeLessThan(br!.x);
    expect(tl!.y).toBeLessThan(bl!.y);
    expect(tr!.y).toBeLessThan(br!.y);
    // The stage has the turned photo's proportions (3 × 4 photo turned: 4 × 3, or the other way).
    const stage = (await dialog().locator('.corner-stage').boundingBox())!;
    const picture = (await dialog().locator('.corner-stage img').boundingBox())!;
    expect(picture.width).toBeCloseTo(stage.width, 0);
    expect(picture.height).toBeCloseTo(stage.height, 0);
    await tabTo(page, /^Coin en haut à gauche$/, 5);
    const slider = page.getByRole('slider', { name: 'Coin en haut à gauche' });
    const before = (await slider.boundingBox())!;
    await page.keyboard.press('Shift+ArrowRight');
    const after = (await slider.boundingBox())!;
    expect(after.x).toBeGreaterThan(before.x + 5);
    expect(after.y).toBeCloseTo(before.y, 0);
    await screenshot(page, 'recadrer-page-tournee');
    await page.keyboard.press('Escape');
    await dialog().getByRole('button', { name: 'Tourner la page 1 vers la gauche' }).click();
    await ready();
  });

  it('Escape leaves the editor only; « Garder la photo entière » sends the whole photo', async () => {
    await dialog().getByRole('button', { name: 'Recadrer la page 1' }).click();
    await page.getByRole('slider', { name: 'Coin en bas à droite' }).focus();
    await page.keyboard.press('Shift+ArrowLeft');
    const before = prepared.length;
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedName(page), POLL).toBe('Recadrer la page 1');
    expect(await dialog().getByRole('heading', { name: "Votre document, tel qu'il sera envoyé" }).count()).toBe(1);
    expect(prepared.length).toBe(before);
    await dialog().getByRole('button', { name: 'Recadrer la page 1' }).click();
    const count = prepared.length;
    await dialog().getByRole('button', { name: 'Garder la photo entière' }).click();
    const whole = await ready(count);
    expect(prepared.at(-1)!.pages).toEqual([{ file: 0, page: 0, corners: null }]);
    expect(whole.report![0]!.corners).toBeNull();
    const shown = await thumbnail(1);
    expect(shown.alt).toMatch(/^Page 1 sur 1, photo entière/);
    // The photo as taken: 3 × 4 or 4 × 3, not an A4 sheet.
    expect([0.75, 1.33]).toContainEqual(Math.round((shown.width / shown.height) * 100) / 100);
    await page.getByRole('button', { name: 'Annuler' }).click();
    await dialog().waitFor({ state: 'detached' });
  });
});

describe('warnings beside the page', () => {
  it('says what is wrong with the page in plain French, tied to the page, and « Envoyer quand même » lets it go', async () => {
    await open('Copie du diplôme', photos.blurred.file, photos.clean.file);
    const warning = dialog().locator('.page-grid > li').first().locator('.page-checks');
    await expect.poll(() => warning.textContent(), POLL).toContain(SCAN_CHECKS.blurred);
    // A screen reader hears the warning with the page's picture.
    const first = await thumbnail(1);
    const described = await page.locator(`[id="${first.describedBy}"]`).textContent();
    expect(described).toContain(SCAN_CHECKS.blurred);
    expect(described).toContain('page 1');
    expect(await dialog().locator('.page-grid > li').nth(1).locator('.page-checks').count()).toBe(0);
    await expectNoAxeViolations(page, 'Avertissement');
    await screenshot(page, 'avertissement-page');

    // Said at the top too, where the result is read.
    expect(await dialog().locator('.summary').textContent()).toMatch(/^Une page est à vérifier : lisez le conseil sous la page/);
    await dialog().getByRole('button', { name: 'Envoyer quand même la page 1' }).click();
    await expect.poll(() => warning.textContent(), POLL).toContain('envoyée telle quelle');
    expect(await dialog().locator('.summary').count()).toBe(0);
    await sendAndClose();
  });

  it('« Reprendre la photo » replaces that page only, the others keep their place', async () => {
    await open('État des services', photos.clean.file, photos.blurred.file);
    expect((await thumbnail(2)).alt).toContain(photos.blurred.photo.name);
    const count = prepared.length;
    const chooser = page.waitForEvent('filechooser');
    await dialog().getByRole('button', { name: 'Reprendre la photo de la page 2' }).click();
    await (await chooser).setFiles(photos.other.file);
    await ready(count);
    expect((await thumbnail(1)).alt).toContain(photos.clean.photo.name);
    expect((await thumbnail(2)).alt).toContain(photos.other.photo.name);
    expect(prepared.at(-1)!.pages).toEqual([
      { file: 0, page: 0 },
      { file: 1, page: 0 },
    ]);
    expect(await dialog().locator('.page-checks').count()).toBe(0);
  });

  it('« Noir et blanc (pour un texte) » travels with the page', async () => {
    const count = prepared.length;
    const box = dialog().getByRole('checkbox', { name: 'Noir et blanc (pour un texte), page 2' });
    expect(await box.isChecked()).toBe(false);
    // Clicked where a person clicks: the box or its words.
    await dialog().locator('.page-grid > li').nth(1).getByText('Noir et blanc (pour un texte)').click();
    await ready(count);
    expect(await box.isChecked()).toBe(true);
    expect(prepared.at(-1)!.pages).toEqual([
      { file: 0, page: 0 },
      { file: 1, page: 0, bw: true },
    ]);
    await sendAndClose();
  });
});
