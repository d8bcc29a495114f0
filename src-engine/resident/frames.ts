/**
 * Messages between the `normalise` command and its resident engine on a local socket: each
 * one a 4-byte length (big-endian) then `v8.serialize` of it, so byte arrays (the photo, the
 * finished document) travel as they are, as over the worker's IPC channel.
 */
import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';

const HEAD_BYTES = 4;

/** The frame's two parts, written one after the other (no copy of a photo into a third buffer). */
export function frameOf(message: unknown): [Buffer, Buffer] {
  const body = serialize(message);
  const head = Buffer.allocUnsafe(HEAD_BYTES);
  head.writeUInt32BE(body.length);
  return [head, body];
}

/** Cuts a byte stream back into messages, whatever the chunks it arrives in. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;

  /** The messages completed by this chunk (none while a frame is still partial). */
  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const messages: unknown[] = [];
    for (;;) {
      if (this.size < HEAD_BYTES) return messages;
      if (this.chunks[0]!.length < HEAD_BYTES)
        this.chunks = [Buffer.concat(this.chunks, this.size)];
      const length = this.chunks[0]!.readUInt32BE(0);
      if (this.size < HEAD_BYTES + length) return messages;
      const all =
        this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
      messages.push(deserialize(all.subarray(HEAD_BYTES, HEAD_BYTES + length)));
      const rest = all.subarray(HEAD_BYTES + length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
    }
  }
}

/** Writes one message as a frame. */
export function writeFrame(socket: Socket, message: unknown): void {
  for (const part of frameOf(message)) socket.write(part);
}

/** Each message arriving on `socket`, in order; a stream that is not frames is cut off. */
export function readFrames(socket: Socket, onMessage: (message: unknown) => void): void {
  const reader = new FrameReader();
  socket.on('data', (chunk: Buffer) => {
    let messages: unknown[];
    try {
      messages = reader.push(chunk);
    } catch {
      socket.destroy();
      return;
    }
    for (const message of messages) {
      if (socket.destroyed) return;
      onMessage(message);
    }
  });
}
