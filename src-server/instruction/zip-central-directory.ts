/**
 * What a streamed ZIP keeps until its end: the central directory, one record per entry, written
 * after the last entry. yazl keeps each entry whole until then (its name as a Buffer, its dates,
 * options and the closure that opened its bytes: about 700 bytes an entry, measured), so a
 * campaign of 2,000 dossiers (12,000 entries) held about 8 MB more than one of 500, and V8 sized
 * its heap a few times larger. Here, entries already written are traded for their central
 * directory records, encoded at once by yazl itself and packed by the hundred into one Buffer:
 * about 100 bytes an entry, plus one shared placeholder per entry in yazl's list (whose length
 * yazl counts for the end record).
 *
 * This leans on yazl's internals (pinned 3.3.1): `entries`, each entry's `state` (3 = its data
 * written) and `getCentralDirectoryRecord()`, which is all yazl reads of a written entry before
 * `end()` (calculatedTotalSize, which reads more, is not used). test/unit/src-server/instruction/
 * zip-central-directory.test.ts reads back a compacted ZIP, so an upgrade that changes them fails.
 */
import type yazl from 'yazl';

const WRITTEN = 3;
/** Records packed into one Buffer: large enough that the Buffer's own overhead is noise. */
const BATCH = 256;

interface WrittenEntry {
  state: number;
  getCentralDirectoryRecord(): Buffer;
}

const EMPTY = Buffer.alloc(0);
/** Stands for a written entry whose record is carried by a later placeholder of its batch. */
const CARRIED: WrittenEntry = { state: WRITTEN, getCentralDirectoryRecord: () => EMPTY };

export class CentralDirectoryCompactor {
  /** Entries before this index are compacted already. */
  private done = 0;

  constructor(private readonly zip: yazl.ZipFile) {}

  /**
   * Compacts, a batch at a time, the entries whose data is written. Call it as the ZIP goes on
   * (each time an entry starts, say); entries still waiting or in progress are left alone.
   */
  compact(): void {
    const entries = (this.zip as unknown as { entries: WrittenEntry[] }).entries;
    let end = this.done;
    while (end < entries.length && entries[end]!.state === WRITTEN) end++;
    if (end - this.done < BATCH) return;
    const records = entries.slice(this.done, end).map((entry) => entry.getCentralDirectoryRecord());
    const packed = Buffer.concat(records);
    for (let i = this.done; i < end - 1; i++) entries[i] = CARRIED;
    // The batch's last placeholder writes every record of the batch, in order.
    entries[end - 1] = { state: WRITTEN, getCentralDirectoryRecord: () => packed };
    this.done = end;
  }
}
