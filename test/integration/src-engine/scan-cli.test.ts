/**
 * The `normalise` command on photographed documents (api-contract.md section 5.1): the JSON
 * report gives each page's source, corners and checks; `--scan off` leaves the photo as it
 * is; `--corners` puts the person's corners in place of the detected ones; `--bw` sends it
 * in black and white; a flat page (a scan) is left as it is, byte for byte.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEngine, cliScript } from '../../support/engine-build';
import { jaccard } from '../../support/quad-overlap';
import { generatePhoto, type GeneratedPhoto } from '../../support/scan-photos';

const run = promisify(execFile);
let dir: string;
let photo: GeneratedPhoto;
let photoPath: string;

interface Answer {
  ok: boolean;
  code?: string;
  summary?: string;
  report?: Array<{ source: { file: number; page: number }; corners: Array<[number, number]> | null; checks: Array<{ code: string; message: string }> }>;
}

async function normalise(...args: string[]): Promise<{ answer: Answer; status: number }> {
  try {
    const { stdout } = await run(process.execPath, [cliScript, ...args, '--json']);
    return { answer: JSON.parse(stdout) as Answer, status: 0 };
  } catch (error) {
    const e = error as { stdout: string; code: number };
    return { answer: JSON.parse(e.stdout) as Answer, status: e.code };
  }
}

beforeAll(async () => {
  await buildEngine();
  dir = await mkdtemp(path.join(tmpdir(), 'scan-cli-'));
  photo = await generatePhoto(4, { kind: 'page' });
  photoPath = path.join(dir, 'photo.jpg');
  await writeFile(photoPath, photo.bytes);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('normalise on a photographed page', () => {
  it('crops and flattens it to an A4 page and reports its corners', async () => {
    const out = path.join(dir, 'auto.jpg');
    const { answer, status } = await normalise(photoPath, '--out', out);
    expect(status).toBe(0);
    expect(answer.report).toHaveLength(1);
    const [page] = answer.report!;
    expect(page!.source).toEqual({ file: 0, page: 0 });
    expect(jaccard(page!.corners as never, photo.corners!, photo.document)).toBeGreaterThan(0.9);
    expect(page!.checks).toEqual([]);
    const meta = await sharp(await readFile(out)).metadata();
    // A4 at 212 dpi, portrait.
    expect([meta.width, meta.height]).toEqual([1753, 2479]);
    expect(answer.summary).toContain('recadrée');
  }, 60_000);

  it('with --scan off, leaves the photo whole and reports no corners', async () => {
    const out = path.join(dir, 'off.jpg');
    const { answer } = await normalise(photoPath, '--out', out, '--scan', 'off');
    expect(answer.report).toEqual([{ source: { file: 0, page: 0 }, corners: null, checks: [] }]);
    const upright = await sharp(photo.bytes).autoOrient().metadata();
    const meta = await sharp(await readFile(out)).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(upright.width! / upright.height!, 2);
  }, 60_000);

  it('with --corners, uses the corners given', async () => {
    const given = photo.corners!.map(([x, y]) => [Math.round(x), Math.round(y)]);
    const { answer } = await normalise(photoPath, '--out', path.join(dir, 'given.pdf'), '--to', 'pdf', '--corners', `0:0:${given.flat().join(',')}`);
    expect(answer.report![0]!.corners).toEqual(given);
  }, 60_000);

  it('with --bw, sends the page in black and white, one bit per pixel in a PDF', async () => {
    const out = path.join(dir, 'bw.pdf');
    const { answer, status } = await normalise(photoPath, '--out', out, '--bw');
    expect(status).toBe(0);
    expect(answer.summary).toContain('noir et blanc');
    expect(jaccard(answer.report![0]!.corners as never, photo.corners!, photo.document)).toBeGreaterThan(0.9);
    expect((await readFile(out)).toString('latin1')).toContain('/BitsPerComponent 1');
  }, 60_000);

  it('refuses malformed --corners and --scan values', async () => {
    for (const bad of [['--corners', '0:0:1,2,3'], ['--corners', '3:0:1,2,3,4,5,6,7,8'], ['--scan', 'maybe']]) {
      const { answer, status } = await normalise(photoPath, '--out', path.join(dir, 'bad.jpg'), ...bad);
      expect(status).toBe(2);
      expect(answer.code).toBe('validation_failed');
    }
  }, 60_000);

  it('leaves a flat page (a scan) as it is, byte for byte, without corners', async () => {
    const page = await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#fbfbf8' } })
      .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1654" height="2339"><text x="150" y="300" font-size="60" font-family="DejaVu Sans">ATTESTATION DE RÉUSSITE</text><text x="150" y="420" font-size="34" font-family="DejaVu Sans">Le candidat a été admis à la session 2026 du concours.</text></svg>') }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const input = path.join(dir, 'scan.jpg');
    await writeFile(input, page);
    const out = path.join(dir, 'scan-out.jpg');
    const { answer } = await normalise(input, '--out', out);
    expect(answer.report![0]!.corners).toBeNull();
    expect(Buffer.compare(await readFile(out), page)).toBe(0);
  }, 60_000);
});
