import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../../../src-shared/wire';

describe('wire JSON', () => {
  it('carries bytes, nested anywhere, unchanged', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), fc.string(), (bytes, name) => {
        const back = fromWire(toWire({ files: [{ name, bytes }] })) as { files: { name: string; bytes: Uint8Array }[] };
        expect(back.files[0]!.name).toBe(name);
        expect(back.files[0]!.bytes).toBeInstanceOf(Uint8Array);
        expect([...back.files[0]!.bytes]).toEqual([...bytes]);
      }),
      { numRuns: 30 },
    );
  });

  it('leaves ordinary objects alone', () => {
    expect(fromWire(toWire({ $bytes: 3, a: [1, 'x'] }))).toEqual({ $bytes: 3, a: [1, 'x'] });
  });
});
