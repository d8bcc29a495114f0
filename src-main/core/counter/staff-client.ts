/**
 * The help-desk staff's own session with the companion API: a separate client, so that the
 * staff token and the candidate's never mix, and a look-up that only ever answers a dossier's
 * state and missing pieces (the API gives no contents on staff routes).
 */
import axios from 'axios';
import { API_BASE, type StaffDossier } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { errorFields, type Logger } from '../../../src-shared/log';
import { RouteCaller, toAppError } from '../route-caller';

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

export class StaffClient {
  private readonly caller: RouteCaller;
  private token: string | null = null;
  private loginName: string | null = null;

  constructor(
    baseUrl: string,
    /** Where answers outside the route table and sessions the server could not be told to end are noted. */
    private readonly log: Logger,
    timeoutMs = 30_000,
  ) {
    const http = axios.create({ baseURL: baseUrl.replace(/\/+$/, '') + API_BASE, timeout: timeoutMs, maxRedirects: 0 });
    this.caller = new RouteCaller(http, log);
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
    await this.endSession(token);
  }

  private async authenticate(login: string, password: string): Promise<string> {
    try {
      return (await this.caller.call('staffSession', { body: { login, password } })).token;
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
      return await this.caller.call('staffDossier', { params: { dossier }, headers: bearer(this.token) });
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
    if (token) await this.endSession(token);
  }

  /** Best effort: the token is forgotten here whatever the server says. */
  private async endSession(token: string): Promise<void> {
    await this.caller
      .call('closeSession', { headers: bearer(token) })
      .catch((error: unknown) => this.log.warn('staff.session_not_closed', errorFields(error)));
  }
}
