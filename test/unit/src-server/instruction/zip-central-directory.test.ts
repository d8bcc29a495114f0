/** Written entries of a streamed ZIP traded for their central directory records (zip-central-directory.ts). */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { CentralDirectoryCompactor } from '../../../../src-server/instruction/zip-central-directory';
import { readZip } from '../../../support/zip';

/** A ZIP of `n` small entries added lazily, compacting as each starts (as the exports do). */
async function writeZip(n: number, compact: boolean): Promise<{ bytes: Buffer; distinctEntries: number }> {
  const zip = new yazl.ZipFile();
  const compactor = new CentralDirectoryCompactor(zip);
  for (let i = 0; i < n; i++)
    zip.addReadStreamLazy(`D-${i}/pièce/${i}.pdf`, { compress: i % 3 === 0, mtime: new Date(1_800_000_000_000 + i * 1000) }, (callback) => {
      if (compact) compactor.compact();
      callback(null, Readable.from([Buffer.from(`document ${i}`)]));
    });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as Readable) chunks.push(chunk as Buffer);
  const entries = (zip as unknown as { entries: unknown[] }).entries;
  return { bytes: Buffer.concat(chunks), distinctEntries: new Set(entries).size };
}

describe('central directory compaction', () => {
  it('writes the same ZIP, byte for byte, while keeping a few objects instead of one per entry', async () => {
    const plain = await writeZip(700, false);
    const compacted = await writeZip(700, true);
    expect(compacted.bytes.equals(plain.bytes)).toBe(true);
    expect(plain.distinctEntries).toBe(700);
    // Two full batches of 256 packed (one shared placeholder, one carrier each), the rest whole.
    expect(compacted.distinctEntries).toBe(1 + 2 + (700 - 512));
    const entries = await readZip(compacted.bytes);
    expect(entries.map((e) => e.name)).toEqual(Array.from({ length: 700 }, (_, i) => `D-${i}/pièce/${i}.pdf`));
    expect(entries[699]!.bytes.toString()).toBe('document 699');
  });

  it('leaves a ZIP too small for a batch as it is', async () => {
    const small = await writeZip(10, true);
    expect(small.distinctEntries).toBe(10);
    expect((await readZip(small.bytes)).length).toBe(10);
  });
});
