/**
 * The help-desk staff's own session with the companion API: a separate client, so that the
 * staff token and the candidate's never mix, and a look-up that only ever answers a dossier's
 * state and missing pieces (the API gives no contents on staff routes).
 */
import axios, { type AxiosInstance } from 'axios';
import { API_BASE, type Session, type StaffDossier } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { toAppError } from '../api-client';

export class StaffClient {
  private readonly http: AxiosInstance;
  private token: string | null = null;
  private loginName: string | null = null;

  constructor(baseUrl: string, timeoutMs = 30_000) {
    this.http = axios.create({ baseURL: baseUrl.replace(/\/+$/, '') + API_BASE, timeout: timeoutMs, maxRedirects: 0 });
  }

  get login(): string | null {
    return this.loginName;
  }

  /** Checks staff credentials and keeps the session (in memory only, never on disk). */
  async open(login: string, password: string): Promise<void> {
    const token = await this.authenticate(login, password);
    await this.close();
    this.token = token;
    this.loginName = login;
  }

  /** Checks staff credentials without keeping a session (the staff code of the settings). */
  async check(login: string, password: string): Promise<void> {
    const token = await this.authenticate(login, password);
    await this.http.delete('/session', { headers: { Authorization: `Bearer ${token}` } }).catch(() => {});
  }

  private async authenticate(login: string, password: string): Promise<string> {
    try {
      return (await this.http.post<Session>('/staff/session', { login, password })).data.token;
    } catch (error) {
      const appError = toAppError(error);
      // The candidate's wording ("numéro de dossier") would mislead a staff member.
      if (appError.code === 'invalid_credentials') throw new AppError('invalid_staff_credentials');
      throw appError;
    }
  }

  async lookup(dossier: string): Promise<StaffDossier> {
    if (!this.token) throw new AppError('staff_not_logged_in');
    try {
      const response = await this.http.get<StaffDossier>(`/staff/dossiers/${encodeURIComponent(dossier)}`, {
        headers: { Authorization: `Bearer ${this.token}` },
      });
      return response.data;
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'unauthenticated') {
        this.token = null;
        this.loginName = null;
        throw new AppError('staff_not_logged_in');
      }
      if (appError.code === 'not_found') throw new AppError('dossier_not_found');
      throw appError;
    }
  }

  /** Ends the session on the server too (best effort: the token is dropped here anyway). */
  async close(): Promise<void> {
    const token = this.token;
    this.token = null;
    this.loginName = null;
    if (token) await this.http.delete('/session', { headers: { Authorization: `Bearer ${token}` } }).catch(() => {});
  }
}
