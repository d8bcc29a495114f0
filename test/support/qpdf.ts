/**
 * A real reader's view of a PDF: qpdf (Debian's package), which follows startxref like PDFium
 * and poppler. Tests that need it are skipped with a message where it is missing, and fail
 * in CI (CI=true), where .ci/run installs it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { tempDir } from './server-helpers';

export const hasQpdf = spawnSync('qpdf', ['--version']).status === 0;

if (!hasQpdf) {
  if (process.env.CI === 'true') throw new Error('qpdf is required in CI (see .ci/run)');
  console.warn('qpdf is not installed: the checks against a real reader are skipped (apt-get install qpdf).');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface QpdfView {
  /** qpdf read the file as it is written, without a warning (no table rebuilt). */
  clean: boolean;
  /** Names and keys qpdf finds on the objects it resolves: '/S' values, '/Subtype' values, keys. */
  finds(what: string): boolean;
  /** The number of pages qpdf counts. */
  pages: number;
}

const temp = tempDir('depot-qpdf-');
afterAll(() => temp.remove());
let count = 0;

/** What qpdf reads in `bytes`: every object its cross-reference names, references resolved. */
export function qpdfView(bytes: Uint8Array): QpdfView {
  const file = path.join(temp.dir, `case-${count++}.pdf`);
  writeFileSync(file, bytes);
  const run = spawnSync('qpdf', ['--json=2', '--json-key=qpdf', '--json-key=pages', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0 && run.status !== 3) throw new Error(`qpdf failed: ${run.stderr}`);
  const json = JSON.parse(run.stdout) as { qpdf: [unknown, Record<string, { value?: Json; stream?: { dict: Json } }>]; pages: unknown[] };
  const objects = json.qpdf[1];
  const resolve = (value: Json, hops = 0): Json => {
    if (typeof value === 'string' && /^\d+ \d+ R$/.test(value) && hops < 8) {
      const target = objects[`obj:${value}`];
      return resolve(target?.value ?? target?.stream?.dict ?? null, hops + 1);
    }
    return value;
  };
  const found = new Set<string>();
  const visit = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        found.add(key);
        if (key === '/S' || key === '/Subtype' || key === '/Type') {
          const name = resolve(inner);
          if (typeof name === 'string') found.add(name);
        }
        visit(inner);
      }
    }
  };
  for (const object of Object.values(objects)) visit(object.value ?? object.stream?.dict ?? null);
  return { clean: run.status === 0 && run.stderr.trim() === '', finds: (what) => found.has(`/${what}`), pages: json.pages.length };
}
