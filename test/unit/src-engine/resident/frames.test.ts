/** The resident engine's framing: messages come back whole whatever the chunks, byte arrays intact. */
import { describe, expect, it } from 'vitest';
import { frameOf, FrameReader } from '../../../../src-engine/resident/frames';

const stream = (...messages: unknown[]) =>
  Buffer.concat(messages.flatMap((message) => frameOf(message)));

describe('FrameReader', () => {
  it('gives back each message once its frame is complete, however the stream is cut', () => {
    const photo = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    const sent = [
      { id: 0, kind: 'ready' },
      {
        id: 1,
        op: 'normalise',
        request: { files: [{ name: 'p.jpg', bytes: photo }], maxBytes: 1e7 },
      },
      { id: 1, kind: 'progress', done: 1, total: 3 },
    ];
    const bytes = stream(...sent);
    for (const cut of [1, 3, 5, 4096, bytes.length]) {
      const reader = new FrameReader();
      const received: unknown[] = [];
      for (let at = 0; at < bytes.length; at += cut)
        received.push(...reader.push(bytes.subarray(at, at + cut)));
      expect(received).toEqual(sent);
    }
  });

  it('keeps a partial frame until the rest arrives', () => {
    const bytes = stream({ kind: 'hello', pid: 42, free: true });
    const reader = new FrameReader();
    expect(reader.push(bytes.subarray(0, bytes.length - 1))).toEqual([]);
    expect(reader.push(bytes.subarray(bytes.length - 1))).toEqual([
      { kind: 'hello', pid: 42, free: true },
    ]);
  });
});
