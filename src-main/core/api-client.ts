/**
 * The companion API as seen from the main process: one axios instance, each route called as
 * the route table describes it (src-shared/http-api.ts), every answer checked against it, every
 * failure turned into an AppError carrying the contract's code and the server's French
 * sentence (or ours, when the server could not be reached at all).
 */
import axios, { AxiosError } from 'axios';
import axiosRetry, { exponentialDelay, isNetworkError } from 'axios-retry';
import { createHash } from 'node:crypto';
import {
  API_BASE,
  type CandidateSession,
  type CampaignSummary,
  type Closure,
  type Dossier,
  type ReceiptKey,
  type DocumentInfo,
  type ServerTime,
  type SignedReceipt,
} from '../../src-shared/contract';
import type { BytesAnswer, RouteName } from '../../src-shared/http-api';
import type { Logger } from '../../src-shared/log';
import { RouteCaller, toAppError, type RouteRequest } from './route-caller';

export { toAppError } from './route-caller';

export interface ApiClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  /** Quick retries inside one call (network errors, 408/429/503), before the caller decides. */
  retries?: number;
  retryDelayMs?: number;
  /** Where every answer that does not match the route table is noted. */
  log: Logger;
}

/**
 * Network errors and 408/429/503 are retried, for the routes the table says may be repeated as
 * they are (reads, and uploads: idempotent by digest); the caller turns retries off for the
 * others (logins, closures: their callers decide).
 */
function retryable(error: AxiosError): boolean {
  const status = error.response?.status;
  return status === undefined
    ? isNetworkError(error) || error.code === 'ECONNABORTED'
    : [408, 429, 503].includes(status);
}

export function contentDigest(bytes: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`;
}

/** RFC 8187 `filename*`, so that accents survive. */
function contentDisposition(filename: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export class ApiClient {
  private readonly caller: RouteCaller;
  private token: string | null = null;

  constructor(options: ApiClientOptions) {
    const http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, '') + API_BASE,
      timeout: options.timeoutMs ?? 30_000,
      // Redirects would silently move credentials elsewhere: the API never redirects.
      maxRedirects: 0,
    });
    const retryDelayMs = options.retryDelayMs ?? 250;
    axiosRetry(http, {
      retries: options.retries ?? 2,
      retryCondition: retryable,
      retryDelay: (count, error) => exponentialDelay(count - 1, error, retryDelayMs),
    });
    http.interceptors.request.use((config) => {
      if (this.token) config.headers.set('Authorization', `Bearer ${this.token}`);
      return config;
    });
    this.caller = new RouteCaller(http, options.log);
  }

  get loggedIn(): boolean {
    return this.token !== null;
  }

  /** Takes up a session kept from an earlier run. */
  restore(token: string): void {
    this.token = token;
  }

  private async call<N extends RouteName>(name: N, request: RouteRequest<N>) {
    try {
      return await this.caller.call(name, request);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'unauthenticated') this.token = null;
      throw appError;
    }
  }

  time(): Promise<ServerTime> {
    return this.call('time', {});
  }

  campaigns(): Promise<CampaignSummary[]> {
    return this.call('campaigns', {});
  }

  /**
   * `deviceToken`: the one an earlier login on this computer got (api-contract.md 5.6). The
   * answer's `deviceToken` is absent from a server older than v1.1.
   */
  async login(dossier: string, password: string, deviceToken?: string | null): Promise<CandidateSession> {
    const body = deviceToken ? { dossier, password, deviceToken } : { dossier, password };
    const session = await this.call('openSession', { body });
    this.token = session.token;
    return session;
  }

  async logout(): Promise<void> {
    if (!this.token) return;
    try {
      await this.call('closeSession', {});
    } finally {
      this.token = null;
    }
  }

  dossier(): Promise<Dossier> {
    return this.call('dossier', {});
  }

  /** `replaces`: the id of a document of that piece that the new one takes the place of, in one step. */
  upload(
    pieceId: string,
    file: { filename: string; mediaType: string; bytes: Uint8Array },
    replaces?: string | null,
  ): Promise<DocumentInfo> {
    return this.call('addDocument', {
      params: { pieceId },
      query: replaces ? { replaces } : {},
      body: file.bytes,
      headers: {
        'Content-Type': file.mediaType,
        'Content-Digest': contentDigest(file.bytes),
        'Content-Disposition': contentDisposition(file.filename),
      },
      // Uploads can be slow on a poor line; the server bounds them itself.
      transport: { timeout: 0, maxBodyLength: Infinity },
    });
  }

  content(documentId: string): Promise<BytesAnswer> {
    return this.call('documentContent', { params: { id: documentId } });
  }

  async deleteDocument(documentId: string): Promise<void> {
    await this.call('deleteDocument', { params: { id: documentId } });
  }

  close(): Promise<Closure> {
    return this.call('closure', {});
  }

  receipt(): Promise<SignedReceipt> {
    return this.call('receipt', {});
  }

  receiptKey(): Promise<ReceiptKey> {
    return this.call('receiptKey', {});
  }

  receiptPdf(): Promise<Uint8Array> {
    return this.call('receiptPdf', {}).then((r) => r.bytes);
  }
}
