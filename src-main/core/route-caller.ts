/**
 * Calls one route of the table (src-shared/http-api.ts) over axios: the URL, method and
 * whether a lost answer may be retried come from the table, and the answer is checked against
 * the table's schema for its status before anyone uses it. An answer that does not match (a
 * server of another version, a proxy's or a captive portal's page) is the AppError
 * `unexpected_answer`, written in the log, not a crash three screens later.
 */
import { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { AppError, isErrorCode } from '../../src-shared/errors';
import type { Logger } from '../../src-shared/log';
import {
  HTTP_API,
  answerMismatch,
  fillPath,
  isBytes,
  isRepeatable,
  type AnswerOf,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type RouteName,
  type RouteSpec,
} from '../../src-shared/http-api';

type Part<T, K extends string> = T extends undefined ? { [P in K]?: undefined } : { [P in K]: T };

/** What a call to route N needs: its path parameters, query and body, as the table types them. */
export type RouteRequest<N extends RouteName> = Part<ParamsOf<N>, 'params'> &
  Part<QueryOf<N>, 'query'> &
  Part<BodyOf<N>, 'body'> & {
    headers?: Record<string, string>;
    /** Transport settings of this call (a slow upload's timeout, its size). */
    transport?: Pick<AxiosRequestConfig, 'timeout' | 'maxBodyLength'>;
  };

export interface UnexpectedAnswer {
  route: RouteName;
  status: number;
  mismatch: string;
}

/** A problem+json answer, a network failure or anything else, as an AppError. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof AxiosError) {
    const body = error.response?.data as { code?: unknown; detail?: unknown } | undefined;
    if (error.response && body && isErrorCode(body.code)) {
      const extra: Record<string, unknown> = { ...body };
      const retryAfter = error.response.headers['retry-after'];
      if (retryAfter !== undefined) extra.retryAfter = Number(retryAfter);
      return new AppError(
        body.code,
        typeof body.detail === 'string' ? body.detail : undefined,
        extra,
      );
    }
    if (!error.response) return new AppError('network_unavailable');
    if (error.response.status === 503) return new AppError('overloaded');
  }
  return new AppError('internal_error');
}

/** Bytes as axios gives them for `responseType: 'arraybuffer'` (a Buffer in Node). */
function asBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // A copy: a small Buffer may be a view of Node's shared pool.
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return null;
}

/** A bytes route's error answer arrives as bytes too: its problem JSON is read back. */
function decodeProblem(error: unknown): unknown {
  const bytes = error instanceof AxiosError ? asBytes(error.response?.data) : null;
  if (bytes && error instanceof AxiosError && error.response) {
    try {
      error.response.data = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      // Not JSON: toAppError maps it by its status.
    }
  }
  return error;
}

export class RouteCaller {
  constructor(
    private readonly http: AxiosInstance,
    /** Where an answer outside the table is noted: its route and status (the mismatch may quote data, so it stays out). */
    private readonly log: Logger,
  ) {}

  /** Sends the request; resolves with the checked answer, rejects with an AppError. */
  async call<N extends RouteName>(name: N, request: RouteRequest<N>): Promise<AnswerOf<N>> {
    const spec: RouteSpec = HTTP_API[name];
    const bytesAnswer = Object.values(spec.answers).some(isBytes);
    const { params, query, body, headers, transport } = request as {
      params?: Record<string, string>;
      query?: Record<string, unknown>;
      body?: unknown;
      headers?: Record<string, string>;
      transport?: AxiosRequestConfig;
    };
    let response;
    try {
      response = await this.http.request<unknown>({
        method: spec.method,
        url: fillPath(name, params),
        params: query,
        data: body,
        // Without a body, no Content-Type: axios would otherwise declare an empty form.
        headers: spec.body === undefined ? { 'Content-Type': false, ...headers } : headers,
        responseType: bytesAnswer ? 'arraybuffer' : 'json',
        ...(isRepeatable(name) ? {} : { 'axios-retry': { retries: 0 } }),
        ...transport,
      });
    } catch (error) {
      throw toAppError(decodeProblem(error));
    }
    const { status, data } = response;
    const mediaType = String(response.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const bytes = isBytes(spec.answers[status]) ? asBytes(data) : null;
    const mismatch = answerMismatch(name, status, bytes ? mediaType : data);
    if (mismatch !== null) {
      this.log.warn('api.unexpected_answer', { code: 'unexpected_answer', route: name, status });
      throw new AppError('unexpected_answer', undefined, { route: name, status, mismatch });
    }
    // Checked above against the table's schema for this route and status.
    return (bytes ? { bytes, mediaType } : data) as AnswerOf<N>;
  }
}
