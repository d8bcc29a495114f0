/** Node's own refusals, answered by hand on the socket: problem+json like every other error. */
import { Duplex } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { answerClientError } from '../../../src-server/client-errors';

/** A socket that keeps what is written to it. */
function recordingSocket(): { socket: Duplex; written: () => string } {
  let written = '';
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('utf8');
      done();
    },
  });
  socket.on('error', () => undefined); // destroy(error) re-emits the refused request's error
  return { socket, written: () => written };
}

function refuse(code: string): { answer: string; closed: boolean } {
  const { socket, written } = recordingSocket();
  answerClientError.call(Fastify(), Object.assign(new Error(code), { code }), socket);
  return { answer: written(), closed: socket.destroyed };
}

describe('requests refused before routing', () => {
  it('a request that took too long: 408 request_timeout', () => {
    const { answer, closed } = refuse('ERR_HTTP_REQUEST_TIMEOUT');
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toMatch(/^content-type: application\/problem\+json/im);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({ status: 408, code: 'request_timeout' });
  });

  it('a connection the client reset: nothing written', () => {
    expect(refuse('ECONNRESET').answer).toBe('');
  });
});
