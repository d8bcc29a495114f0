/**
 * "Remplacer le document", in Debian's Chromium (browser host): a closed dossier whose pieces the
 * service concours asked to correct (through the instruction API); the candidate replaces the
 * document of a one-document piece with its main button, and one of two diplomas from
 * "Gestion du document"; asked again, replaces it with the line down (the new document waits on
 * this computer, the old one stays) and the replacement goes once the line is back. Each time
 * the old document goes, the new one is late, the review is back to null, the receipt still
 * verifies; axe finds nothing on each screen.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentInfo, Dossier, SignedReceipt } from '../../../src-shared/contract';
import { candidateToken, closeWith } from '../../support/candidate-http';
import { DEMO_INSTRUCTOR, DEMO_MAI } from '../../support/demo';
import { corpusDir } from '../../support/paths';
import { receiptVerifies } from '../../support/receipt';
import { expectNoAxeViolations, focusedName, logInFromWelcome, POLL, screenshot, startStack, type Stack } from '../../support/renderer-e2e';

let stack: Stack;
let page: Page;
let stored: (DocumentInfo & { pieceId: string })[];

const REASON = 'Illisible : la photo est floue. Renvoyez une photo nette.';
const NEW_PHOTO = path.join(corpusDir, 'images', 'jpeg-exif-orientation-1-landscape.jpg');
const LICENCE = path.join(corpusDir, 'pdf', 'pdf-simple-text-pdflatex.pdf');
const NEW_DIPLOMA = path.join(corpusDir, 'pdf', 'pdf-scanned-image-only-page.pdf');

async function photo(shade: number): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 400, channels: 3, background: { r: shade, g: 120, b: 90 } } })
    .jpeg()
    .toBuffer();
}

async function api<T>(pathname: string, token: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.apiUrl}/api/v1${pathname}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function askCorrection(pieceId: string): Promise<void> {
  const login = await fetch(`${stack.apiUrl}/api/v1/staff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_INSTRUCTOR),
  });
  const { token } = (await login.json()) as { token: string };
  const review = await api(`/staff/dossiers/${DEMO_MAI.dossier}/pieces/${pieceId}/review`, token, {
    method: 'PUT',
    body: JSON.stringify({ decision: 'correction_requested', reason: REASON }),
  });
  expect(review.status).toBe(200);
}

/** The dossier as the server holds it, and whether its receipt (unchanged since closure) verifies. */
async function onServer(): Promise<{ dossier: Dossier; receiptOk: boolean; token: string }> {
  const token = await candidateToken(stack.apiUrl, DEMO_MAI);
  const dossier = (await api<Dossier>('/dossier', token)).body;
  const receipt = (await api<SignedReceipt>('/receipt', token)).body;
  return { dossier, receiptOk: await receiptVerifies(stack.apiUrl, receipt), token };
}

const pieceCard = (label: string) => page.locator('li.piece', { has: page.getByRole('heading', { level: 2, name: label }) });
const dialog = () => page.getByRole('dialog');
const shot = (name: string) => screenshot(page, `replace-${name}`);

async function sendFile(file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await dialog().getByRole('button', { name: /^Choisir un (autre )?fichier$/ }).click();
  await (await chooser).setFiles(file);
  const send = page.getByRole('button', { name: 'Envoyer et remplacer' });
  await expect.poll(() => send.isEnabled(), { timeout: 60_000 }).toBe(true);
}

beforeAll(async () => {
  stack = await startStack('replace', { viewport: { width: 1100, height: 900 } }, { faultProxy: true });
  page = stack.page;
  stored = await closeWith(stack.apiUrl, DEMO_MAI, [
    { pieceId: 'identite', filename: 'identite.jpg', mediaType: 'image/jpeg', bytes: await photo(40) },
    { pieceId: 'diplome', filename: 'licence.pdf', mediaType: 'application/pdf', bytes: await readFile(LICENCE) },
    { pieceId: 'diplome', filename: 'master.jpg', mediaType: 'image/jpeg', bytes: await photo(90) },
    { pieceId: 'etat-services', filename: 'etat-des-services.jpg', mediaType: 'image/jpeg', bytes: await photo(200) },
  ]);
  await askCorrection('identite');
  await askCorrection('diplome');
});

afterAll(async () => {
  await stack?.close();
});

describe('a candidate replaces a document the centre asked to correct, after closure', () => {
  it('sees "Remplacer le document" as the main action of the piece asked for correction', async () => {
    await logInFromWelcome(page, DEMO_MAI);
    await page.getByRole('heading', { level: 1, name: 'Suivi de mon dossier' }).waitFor();
    await page.getByText(/^2 pièces à corriger/).waitFor();
    const identity = pieceCard("Pièce d'identité");
    expect(await identity.locator('.state').textContent()).toBe('État : Correction demandée');
    const replace = identity.getByRole('button', { name: "Remplacer le document : Pièce d'identité" });
    expect(await replace.textContent()).toBe('Remplacer le document');
    expect(await replace.getAttribute('class')).toContain('primary');
    // Two diplomas: no guess at which one, the help says where to choose.
    const diplomas = pieceCard('Copie du diplôme');
    expect(await diplomas.getByRole('button', { name: /^Remplacer le document/ }).count()).toBe(0);
    expect(await diplomas.locator('.correction-request').textContent()).toContain('Voir, remplacer ou supprimer');
    await expectNoAxeViolations(page, 'Suivi : pièces à corriger');
    await shot('01-correction-demandee');
  });

  it('replaces the identity photo in one step: the screen names the document replaced', async () => {
    await page.getByRole('button', { name: "Remplacer le document : Pièce d'identité" }).click();
    await page.getByRole('dialog', { name: "Remplacer le document : Pièce d'identité" }).waitFor();
    expect(await dialog().locator('.replace-note').textContent()).toContain("Ce document remplacera « identite.jpg » après l'envoi.");
    await sendFile(NEW_PHOTO);
    await expectNoAxeViolations(page, 'Remplacer le document');
    await shot('02-remplacer-le-document');
    await page.getByRole('button', { name: 'Envoyer et remplacer' }).click();
    await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
    expect(await dialog().locator('.success').textContent()).toContain('à la place de « identite.jpg »');
    await expectNoAxeViolations(page, 'Remplacement enregistré');
    await shot('03-remplacement-enregistre');
    await page.getByRole('button', { name: 'OK' }).click();

    const identity = pieceCard("Pièce d'identité");
    await expect.poll(() => identity.locator('.state').textContent(), POLL).toBe('État : Correction envoyée');
    await expect.poll(() => focusedName(page), POLL).toBe("Pièce d'identité");
    expect(await identity.locator('.document-name').allTextContents()).toEqual([expect.stringMatching(/^jpeg-exif-orientation-1-landscape/)]);
    expect(await identity.getByRole('button', { name: /^Remplacer le document/ }).count()).toBe(0);
    await page.getByText(/^1 pièce à corriger/).waitFor();
    // The receipt keeps the closure's list: the page says the new document is received all the same.
    expect(await page.locator('.receipt').textContent()).toContain('identite.jpg');
    expect(await page.locator('.receipt-since').textContent()).toContain('sont bien reçus');
    await shot('04-correction-envoyee');

    const { dossier, receiptOk, token } = await onServer();
    const piece = dossier.pieces.find((p) => p.id === 'identite')!;
    const old = stored.find((d) => d.pieceId === 'identite')!;
    expect(piece.documents).toHaveLength(1);
    expect(piece.documents[0]).toMatchObject({ late: true });
    expect(piece.documents[0]!.id).not.toBe(old.id);
    expect(piece.review).toBeNull();
    expect((await api(`/documents/${old.id}/content`, token)).status).toBe(404);
    expect(dossier.state).toBe('closed');
    expect(receiptOk).toBe(true);
  });

  it('replaces one diploma of two from "Gestion du document", where "Supprimer" is still offered', async () => {
    const master = stored.find((d) => d.filename === 'master.jpg')!;
    await pieceCard('Copie du diplôme').getByRole('button', { name: 'Voir, remplacer ou supprimer : master.jpg' }).click();
    const manage = page.getByRole('dialog', { name: 'Gestion du document' });
    await manage.waitFor();
    expect(await manage.getByRole('button', { name: 'Supprimer' }).count()).toBe(1);
    await expectNoAxeViolations(page, 'Gestion du document');
    await shot('05-gestion-du-document');
    await manage.getByRole('button', { name: 'Remplacer' }).click();
    await page.getByRole('dialog', { name: 'Remplacer le document : Copie du diplôme' }).waitFor();
    expect(await dialog().locator('.replace-note').textContent()).toContain('« master.jpg »');
    await sendFile(NEW_DIPLOMA);
    await page.getByRole('button', { name: 'Envoyer et remplacer' }).click();
    await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
    await page.getByRole('button', { name: 'OK' }).click();
    const diplomas = pieceCard('Copie du diplôme');
    await expect.poll(() => diplomas.locator('.state').textContent(), POLL).toBe('État : Correction envoyée');
    expect(await page.getByText(/pièces? à corriger/).count()).toBe(0);

    const { dossier, receiptOk } = await onServer();
    const piece = dossier.pieces.find((p) => p.id === 'diplome')!;
    const licence = stored.find((d) => d.filename === 'licence.pdf')!;
    expect(piece.documents.map((d) => d.id)).toEqual([licence.id, expect.not.stringMatching(master.id)]);
    expect(piece.documents[1]).toMatchObject({ late: true, mediaType: 'application/pdf' });
    expect(piece.documents[1]!.sha256).not.toBe(master.sha256);
    expect(piece.review).toBeNull();
    expect(receiptOk).toBe(true);
    await shot('06-deux-corrections-envoyees');
  });

  it('asked again, replaces with the line down: the old one stays until the new one is sent', async () => {
    const before = (await onServer()).dossier.pieces.find((p) => p.id === 'identite')!.documents[0]!;
    await askCorrection('identite');
    await page.reload();
    const identity = pieceCard("Pièce d'identité");
    await expect.poll(() => identity.locator('.state').textContent(), POLL).toBe('État : Correction demandée');
    stack.proxy!.down();
    await page.getByRole('button', { name: "Remplacer le document : Pièce d'identité" }).click();
    await sendFile(path.join(corpusDir, 'images', 'jpeg-exif-orientation-8-portrait.jpg'));
    await page.getByRole('button', { name: 'Envoyer et remplacer' }).click();
    await dialog().waitFor({ state: 'detached', ...POLL });
    await expect.poll(() => identity.locator('.state').textContent(), POLL).toBe('État : Envoi en attente');
    expect(await identity.locator('.document-name').first().textContent()).toContain(before.filename);
    expect(await identity.getByText("en attente d'envoi, gardé sur cet ordinateur").count()).toBe(1);
    expect(await identity.locator('.correction-request').textContent()).toContain("l'ancien reste enregistré jusque-là");
    expect(await identity.getByRole('button', { name: /^Remplacer le document/ }).count()).toBe(0);
    await expectNoAxeViolations(page, 'Remplacement en attente');
    await shot('07-remplacement-en-attente');

    stack.proxy!.up();
    await expect.poll(() => identity.locator('.state').textContent(), { timeout: 90_000 }).toBe('État : Correction envoyée');
    const piece = (await onServer()).dossier.pieces.find((p) => p.id === 'identite')!;
    expect(piece.documents).toHaveLength(1);
    expect(piece.documents[0]!.id).not.toBe(before.id);
    expect(piece.documents[0]).toMatchObject({ late: true });
    expect(piece.review).toBeNull();
    expect(await identity.locator('.document-name').allTextContents()).toEqual([expect.stringMatching(/^jpeg-exif-orientation-8-portrait/)]);
  });
});
