/**
 * Errors as RFC 9457 problem details with the contract's stable `code` and the plain French
 * `detail` from src-shared/errors.ts. Nothing else reaches the client: no stack, no message of
 * an unexpected error.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, statusOf, type ErrorCode } from '../src-shared/errors';
import type { Problem } from '../src-shared/contract';

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  431: 'Request Header Fields Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemOf(code: ErrorCode, detail?: string, extra?: Record<string, unknown>): Problem {
  const status = statusOf(code);
  return {
    type: 'about:blank',
    status,
    title: TITLES[status] ?? 'Error',
    code,
    detail: detail ?? ERRORS[code].message,
    ...(Array.isArray(extra?.missing) ? { missing: extra.missing as string[] } : {}),
  };
}

/** Maps whatever was thrown to a contract code. */
export function codeOf(error: unknown): { code: ErrorCode; detail?: string; extra?: Record<string, unknown> } {
  if (error instanceof AppError) return { code: error.code, detail: error.message, extra: error.extra };
  const fe = error as Partial<FastifyError> & { status?: number };
  if (fe.validation) return { code: 'validation_failed' };
  const status = fe.statusCode ?? fe.status;
  switch (fe.code) {
    case 'FST_ERR_NOT_FOUND':
      return { code: 'not_found' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'validation_failed' };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) return { code: 'validation_failed' };
  return { code: 'internal_error' };
}

export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
  extra?: Record<string, unknown>,
): FastifyReply {
  const problem = problemOf(code, detail, extra);
  if (typeof extra?.retryAfterSeconds === 'number') reply.header('retry-after', String(extra.retryAfterSeconds));
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

/** Up to this size, an unread body is read and dropped so the connection stays usable. */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * An answer sent before the request body was read: a small body is drained by Node after the
 * answer (the client reads the answer cleanly and keeps its connection); a large or unknown
 * one closes the connection instead of reading megabytes nobody will use.
 */
export function closeIfBodyUnread(request: FastifyRequest, reply: FastifyReply, overloaded = false): void {
  if (request.raw.complete) return;
  const length = Number(request.raw.headers['content-length'] ?? NaN);
  // Past capacity, reading bodies only to drop them is exactly the work to avoid.
  if (!overloaded && Number.isFinite(length) && length <= DRAIN_LIMIT) return;
  reply.header('connection', 'close');
}
