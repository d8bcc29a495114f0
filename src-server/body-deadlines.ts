/**
 * Request bodies that stop arriving are cut (api-contract.md 5.6). Without this, a connection
 * that sends its headers and then nothing stays open for the whole request timeout (15 minutes,
 * kept for slow uplinks), and a few dozen of them hold the server.
 *
 * Progress is read from the socket's byte counter, sampled by one timer for all requests, so the
 * upload path keeps its single stream hop. A cut answers 408 `request_timeout` (problem+json) and
 * closes the connection; the upload's temporary file goes with the aborted stream (blobs.ts).
 *
 * Two rules: uploads (streamed bodies) may take long but must keep coming, at least one byte
 * every `idleMs` and, once `graceMs` has passed, `minBytesPerSecond` on average; every other
 * body is a small JSON document that must arrive whole within `jsonBodyMs`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_API, isBytes, type RouteSpec } from '../src-shared/http-api';
import { sendProblem } from './problem';

export interface BodyDeadlines {
  /** Longest silence within a body, in ms (the contract allows at most 30 s). */
  idleMs: number;
  /** How long an upload may start slowly before its average rate is checked, in ms. */
  graceMs: number;
  /** An upload's least average rate once its grace period is over, in bytes per second. */
  minBytesPerSecond: number;
  /** The whole of a JSON body must arrive within this, in ms. */
  jsonBodyMs: number;
}

export const DEFAULT_BODY_DEADLINES: BodyDeadlines = {
  idleMs: 30_000,
  graceMs: 10_000,
  minBytesPerSecond: 1024,
  jsonBodyMs: 10_000,
};

/** Whether the request's route takes its body as streamed bytes (an upload), per the route table. */
export function streamsBody(request: FastifyRequest): boolean {
  const name = request.routeOptions.config.route;
  if (!name) return false;
  const spec: RouteSpec = HTTP_API[name];
  return isBytes(spec.body);
}

interface Watched {
  request: FastifyRequest;
  reply: FastifyReply;
  stream: boolean;
  startedAt: number;
  /** socket.bytesRead when the request began (earlier requests on a kept-alive socket). */
  baseBytes: number;
  lastBytes: number;
  lastProgressAt: number;
}

function expectsBody(request: FastifyRequest): boolean {
  if (request.raw.complete) return false;
  const length = Number(request.headers['content-length'] ?? 0);
  return request.headers['transfer-encoding'] !== undefined || (Number.isFinite(length) && length > 0);
}

/** Why `w` must be cut at `now`, or null while it may go on. */
function overdue(w: Watched, bytes: number, now: number, d: BodyDeadlines): string | null {
  const elapsed = now - w.startedAt;
  if (!w.stream) return elapsed > d.jsonBodyMs ? 'json body too slow' : null;
  if (now - w.lastProgressAt > d.idleMs) return 'body idle';
  if (elapsed > d.graceMs && ((bytes - w.baseBytes) * 1000) / elapsed < d.minBytesPerSecond) return 'body below minimum rate';
  return null;
}

export function bodyDeadlines(app: FastifyInstance, overrides: Partial<BodyDeadlines> = {}): void {
  const deadlines = { ...DEFAULT_BODY_DEADLINES, ...overrides };
  const watched = new Set<Watched>();
  const tickMs = Math.max(20, Math.min(1000, Math.min(deadlines.idleMs, deadlines.jsonBodyMs, deadlines.graceMs) / 4));
  let timer: NodeJS.Timeout | null = null;

  const cut = (w: Watched, reason: string) => {
    watched.delete(w);
    const { request, reply } = w;
    request.log.info({ reason }, 'request body cut');
    // Destroying the request (not only its socket) is what tells the body's reader: once the
    // answer is out, Node no longer links the request to its socket, so the socket's close
    // would never reach it and an upload's temporary file would stay.
    const end = () => request.raw.destroy();
    if (reply.sent || reply.raw.headersSent) return end();
    reply.raw.once('finish', end);
    reply.raw.once('close', end);
    reply.header('connection', 'close');
    void sendProblem(reply, 'request_timeout');
  };

  const tick = () => {
    const now = Date.now();
    for (const w of watched) {
      if (w.request.raw.complete || w.reply.raw.writableEnded || w.request.raw.socket.destroyed) {
        watched.delete(w);
        continue;
      }
      const bytes = w.request.raw.socket.bytesRead;
      if (bytes > w.lastBytes) {
        w.lastBytes = bytes;
        w.lastProgressAt = now;
      }
      const reason = overdue(w, bytes, now, deadlines);
      if (reason) cut(w, reason);
    }
    if (watched.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!expectsBody(request)) return;
    const now = Date.now();
    const bytes = request.raw.socket.bytesRead;
    watched.add({
      request,
      reply,
      stream: streamsBody(request),
      startedAt: now,
      baseBytes: bytes,
      lastBytes: bytes,
      lastProgressAt: now,
    });
    timer ??= setInterval(tick, tickMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    timer = null;
    watched.clear();
  });
}
