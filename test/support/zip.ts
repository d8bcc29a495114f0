/** ZIPs in tests: read with yauzl (independent of the server's writer), written with yazl. */
import yauzl from 'yauzl';
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  bytes: Buffer;
  /** The compression method: 0 stored, 8 deflated. */
  method: number;
}

export function readZip(zip: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, file) => {
      if (err || !file) return reject(err ?? new Error('no zip'));
      const entries: ZipEntry[] = [];
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (openErr, stream) => {
          if (openErr || !stream) return reject(openErr ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, bytes: Buffer.concat(chunks), method: entry.compressionMethod });
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

export interface NewZipEntry {
  name: string;
  data: Buffer;
  /** Unix permission bits (0o755 for an executable). */
  mode?: number;
}

/** Writes a ZIP with yazl (stored entries, Unix modes): an Electron release archive in tests. */
export function zip(entries: NewZipEntry[]): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const { name, data, mode = 0o644 } of entries) archive.addBuffer(data, name, { mode: 0o100000 | mode, compress: false });
  archive.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (c: Buffer) => chunks.push(c));
    archive.outputStream.on('error', reject);
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
