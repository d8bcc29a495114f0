/**
 * The companion API as seen from the main process: one axios instance, every answer checked,
 * every failure turned into an AppError carrying the contract's code and the server's French
 * sentence (or ours, when the server could not be reached at all).
 */
import axios, { AxiosError, type AxiosInstance } from 'axios';
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
import { AppError, isErrorCode } from '../../src-shared/errors';

export interface ApiClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  /** Quick retries inside one call (network errors, 408/429/503), before the caller decides. */
  retries?: number;
  retryDelayMs?: number;
}

/**
 * Requests that may be repeated as they are: reads, and uploads (idempotent by digest: the
 * same bytes for the same piece answer the same document). Logins and closures are not
 * retried here: their callers decide.
 */
function repeatable(error: AxiosError): boolean {
  const method = error.config?.method?.toLowerCase();
  const url = error.config?.url ?? '';
  if (!(method === 'get' || (method === 'post' && /\/documents$/.test(url)))) return false;
  const status = error.response?.status;
  return status === undefined ? isNetworkError(error) || error.code === 'ECONNABORTED' : [408, 429, 503].includes(status);
}

export function contentDigest(bytes: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`;
}

/** RFC 8187 `filename*`, so that accents survive. */
function contentDisposition(filename: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof AxiosError) {
    const body = error.response?.data as { code?: unknown; detail?: unknown } | undefined;
    if (error.response && body && isErrorCode(body.code)) {
      const extra: Record<string, unknown> = { ...body };
      const retryAfter = error.response.headers['retry-after'];
      if (retryAfter !== undefined) extra.retryAfter = Number(retryAfter);
      return new AppError(body.code, typeof body.detail === 'string' ? body.detail : undefined, extra);
    }
    if (!error.response) return new AppError('network_unavailable');
    if (error.response.status === 503) return new AppError('overloaded');
  }
  return new AppError('internal_error');
}

export class ApiClient {
  private readonly http: AxiosInstance;
  private token: string | null = null;

  constructor(options: ApiClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, '') + API_BASE,
      timeout: options.timeoutMs ?? 30_000,
      // Redirects would silently move credentials elsewhere: the API never redirects.
      maxRedirects: 0,
    });
    const retryDelayMs = options.retryDelayMs ?? 250;
    axiosRetry(this.http, {
      retries: options.retries ?? 2,
      retryCondition: repeatable,
      retryDelay: (count, error) => exponentialDelay(count - 1, error, retryDelayMs),
    });
    this.http.interceptors.request.use((config) => {
      if (this.token) config.headers.set('Authorization', `Bearer ${this.token}`);
      return config;
    });
  }

  get loggedIn(): boolean {
    return this.token !== null;
  }

  /** Takes up a session kept from an earlier run. */
  restore(token: string): void {
    this.token = token;
  }

  private async call<T>(run: () => Promise<{ data: T }>): Promise<T> {
    try {
      return (await run()).data;
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'unauthenticated') this.token = null;
      throw appError;
    }
  }

  time(): Promise<ServerTime> {
    return this.call(() => this.http.get<ServerTime>('/time'));
  }

  campaigns(): Promise<CampaignSummary[]> {
    return this.call(() => this.http.get<CampaignSummary[]>('/campaigns'));
  }

  /**
   * `deviceToken`: the one an earlier login on this computer got (api-contract.md 5.6). The
   * answer's `deviceToken` is absent from a server older than v1.1.
   */
  async login(dossier: string, password: string, deviceToken?: string | null): Promise<Partial<CandidateSession> & { token: string; expiresAt: string }> {
    const body = deviceToken ? { dossier, password, deviceToken } : { dossier, password };
    const session = await this.call(() => this.http.post<CandidateSession>('/session', body));
    this.token = session.token;
    return session;
  }

  async logout(): Promise<void> {
    if (!this.token) return;
    try {
      await this.call(() => this.http.delete('/session'));
    } finally {
      this.token = null;
    }
  }

  dossier(): Promise<Dossier> {
    return this.call(() => this.http.get<Dossier>('/dossier'));
  }

  upload(pieceId: string, file: { filename: string; mediaType: string; bytes: Uint8Array }): Promise<DocumentInfo> {
    return this.call(() =>
      this.http.post<DocumentInfo>(`/pieces/${encodeURIComponent(pieceId)}/documents`, file.bytes, {
        headers: {
          'Content-Type': file.mediaType,
          'Content-Digest': contentDigest(file.bytes),
          'Content-Disposition': contentDisposition(file.filename),
        },
        // Uploads can be slow on a poor line; the server bounds them itself.
        timeout: 0,
        maxBodyLength: Infinity,
      }),
    );
  }

  content(documentId: string): Promise<{ bytes: Uint8Array; mediaType: string }> {
    return this.bytes(`/documents/${encodeURIComponent(documentId)}/content`);
  }

  private async bytes(url: string): Promise<{ bytes: Uint8Array; mediaType: string }> {
    try {
      const response = await this.http.get<ArrayBuffer>(url, {
        responseType: 'arraybuffer',
      });
      return {
        bytes: new Uint8Array(response.data),
        mediaType: String(response.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!,
      };
    } catch (error) {
      // An arraybuffer response hides the problem JSON: decode it before mapping.
      if (error instanceof AxiosError && error.response?.data instanceof ArrayBuffer) {
        try {
          error.response.data = JSON.parse(Buffer.from(error.response.data).toString('utf8'));
        } catch {
          /* not JSON: mapped by status below */
        }
      }
      const appError = toAppError(error);
      if (appError.code === 'unauthenticated') this.token = null;
      throw appError;
    }
  }

  async deleteDocument(documentId: string): Promise<void> {
    await this.call(() => this.http.delete(`/documents/${encodeURIComponent(documentId)}`));
  }

  close(): Promise<Closure> {
    return this.call(() => this.http.post<Closure>('/closure', {}));
  }

  receipt(): Promise<SignedReceipt> {
    return this.call(() => this.http.get<SignedReceipt>('/receipt'));
  }

  receiptKey(): Promise<ReceiptKey> {
    return this.call(() => this.http.get<ReceiptKey>('/keys/receipt'));
  }

  receiptPdf(): Promise<Uint8Array> {
    return this.bytes('/receipt.pdf').then((r) => r.bytes);
  }
}
