/**
 * "Remplacer le document" through the real assistant and its send queue, against the companion
 * API as a process behind a proxy that plays the network: a replacement sent offline waits on
 * this computer with the document it replaces, survives the app's restart, and takes that
 * document's place once the server answers; the old one stays until then.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dossier } from '../../../../../src-shared/contract';
import { distinctJpeg, prepareFile, startProxiedDemo, type ProxiedDemo } from '../../../../support/assistant-harness';
import { DEMO_MAI, DEMO_PAUL } from '../../../../support/demo';

let demo: ProxiedDemo;

beforeAll(async () => {
  demo = await startProxiedDemo('replace-queue-');
});

afterAll(async () => {
  await demo?.close();
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const cvOf = (dossier: Dossier) => dossier.pieces.find((p) => p.id === 'cv')!.documents;

describe('replacing a document through the send queue', () => {
  it('offline, then the app restarted: the replacement keeps what it replaces and takes its place once online', async () => {
    const workspace = await demo.workspace();
    const first = demo.newAssistant(workspace);
    await first.login(DEMO_MAI);
    const old = await first.sendPrepared({ preparedId: await prepareFile(first, 'cv', await distinctJpeg()) });
    const bytes = await distinctJpeg();
    const preparedId = await prepareFile(first, 'cv', bytes);

    demo.proxy.down();
    await expect(first.sendPrepared({ preparedId, replaces: old.id })).rejects.toMatchObject({ code: 'upload_queued' });
    expect((await first.listQueue({})).items.find((i) => i.id === preparedId)).toMatchObject({ state: 'pending', replaces: old.id });
    await first.shutdown();

    // The next run, still without network: the item waits with what it replaces.
    const second = demo.newAssistant(workspace);
    await second.ready;
    expect((await second.listQueue({})).items.find((i) => i.id === preparedId)).toMatchObject({ state: 'pending', replaces: old.id });
    demo.proxy.up();
    await expect.poll(async () => (await second.listQueue({})).items.find((i) => i.id === preparedId)?.state, { timeout: 10_000 }).toBe('sent');
    const cv = cvOf(await second.getDossier({}));
    expect(cv.map((d) => d.sha256)).toEqual([sha(bytes)]);
    expect(cv[0]!.id).not.toBe(old.id);
  });

  it('online: one step, the full one-document piece holds the new document only', async () => {
    const assistant = demo.newAssistant(await demo.workspace());
    await assistant.login(DEMO_PAUL);
    const old = await assistant.sendPrepared({ preparedId: await prepareFile(assistant, 'cv', await distinctJpeg()) });
    const bytes = await distinctJpeg();
    // Without `replaces` the full piece refuses it, and the old document stays.
    await expect(assistant.sendPrepared({ preparedId: await prepareFile(assistant, 'cv', bytes) })).rejects.toMatchObject({ code: 'piece_full' });
    const sent = await assistant.sendPrepared({ preparedId: await prepareFile(assistant, 'cv', bytes), replaces: old.id });
    expect(cvOf(await assistant.getDossier({}))).toEqual([sent]);
    // A replacement of a document already gone is refused for good, with its reason.
    const preparedId = await prepareFile(assistant, 'cv', await distinctJpeg());
    await expect(assistant.sendPrepared({ preparedId, replaces: old.id })).rejects.toMatchObject({ code: 'replaced_not_found' });
    expect((await assistant.listQueue({})).items.find((i) => i.id === preparedId)).toMatchObject({ state: 'refused', replaces: old.id });
    expect(cvOf(await assistant.getDossier({}))).toEqual([sent]);
  });
});
