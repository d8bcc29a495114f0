/**
 * The instructor's session, kept for this browser tab only (sessionStorage): a reload keeps it,
 * closing the tab forgets it, another tab or person on the computer never sees it.
 */
export interface StaffSession {
  login: string;
  token: string;
  expiresAt: string;
}

const KEY = 'instruction-session';

export function loadSession(now: Date = new Date()): StaffSession | null {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as StaffSession | null;
    if (!kept || typeof kept.token !== 'string' || typeof kept.login !== 'string') return null;
    return new Date(kept.expiresAt).getTime() > now.getTime() ? kept : null;
  } catch {
    return null;
  }
}

export function saveSession(session: StaffSession | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}
