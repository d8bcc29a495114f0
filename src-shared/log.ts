/**
 * The log for the help desk: one JSON object per event, `{at, level, event, ...fields}`.
 *
 * Redaction is done here, by construction, for every entry whatever the caller passes: a field
 * whose name says it may hold a secret or a person's data is replaced by "[retiré]", and a text
 * value that is not a short code-like word (an error code, a method name, a state) is replaced
 * by "[masqué]". So a password, a token, a file name, a path with a user name in it, a name or
 * a dossier number cannot reach the file even by mistake. Error messages are never logged
 * (they may quote a path or a file name): only their code and class.
 *
 * Pure code (no Node): the main process and the document engine share it.
 */
import { AppError } from './errors';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogValue = string | number | boolean | null;
export type LogFields = Readonly<Record<string, LogValue | undefined>>;

export interface LogEntry {
  /** ISO instant. */
  at: string;
  level: LogLevel;
  /** A stable name, such as `receipt.pdf_not_kept`. */
  event: string;
  [field: string]: LogValue;
}

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** A logger that also remembers the last warnings and errors, for the support report. */
export interface LogBook extends Logger {
  /** The last warnings and errors, oldest first. */
  recent(): LogEntry[];
}

export const REMOVED = '[retiré]';
export const MASKED = '[masqué]';
/** How many warnings and errors the support report shows. */
export const RECENT_KEPT = 20;

/** Field names that may carry a secret, a document or a person: their values never go in. */
const PRIVATE_FIELD =
  /pass|pwd|token|secret|auth|cookie|session|key|signature|credential|file|path|dir|folder|content|bytes|body|data|dossier|login|user|mail|phone|address|birth|first|last|^name$|fullname|person|candidate|staff|url|message|stack/i;
const CODE_LIKE = /^[A-Za-z0-9_.:-]{1,64}$/;
const EVENT_NAME = /^[a-z][a-z0-9_.]{0,63}$/;

/** Four digits in a row (dossier, phone or card numbers), or a long mix of letters and digits (tokens, digests). */
function looksPersonalOrSecret(value: string): boolean {
  if (/\d{4,}/.test(value)) return true;
  return value.length >= 16 && /\d/.test(value) && /[A-Za-z]/.test(value);
}

function safeValue(value: unknown): LogValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return CODE_LIKE.test(value) && !looksPersonalOrSecret(value) ? value : MASKED;
  // Objects, arrays and functions have no place in a flat entry: what they hold is unknown.
  return MASKED;
}

/** The entry as it may be written: private fields removed, unsafe values masked. */
export function redactEntry(level: LogLevel, event: string, fields: LogFields | undefined, at: Date): LogEntry {
  const entry: LogEntry = { at: at.toISOString(), level, event: EVENT_NAME.test(event) ? event : 'invalid_event' };
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (key === 'at' || key === 'level' || key === 'event') continue;
    if (!CODE_LIKE.test(key)) continue;
    if (PRIVATE_FIELD.test(key)) {
      if (value !== undefined) entry[key] = REMOVED;
      continue;
    }
    const safe = safeValue(value);
    if (safe !== undefined) entry[key] = safe;
  }
  return entry;
}

/**
 * What may be said of an error: its stable code (the AppError code, or a system code such as
 * ENOENT) and its class. Never its message.
 */
export function errorFields(error: unknown): { code: string; errorName?: string } {
  if (error instanceof AppError) return { code: error.code };
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : undefined;
  return {
    code: typeof code === 'string' && /^(E[A-Z0-9_]+|ERR_[A-Z0-9_]+)$/.test(code) ? code : 'internal_error',
    ...(name && CODE_LIKE.test(name) ? { errorName: name } : {}),
  };
}

export interface LogBookOptions {
  /** Where each redacted entry goes as one JSON line (a file); none: memory only. */
  write?: (line: string) => void;
  /** Warnings and errors from an earlier run (read back from the file). */
  earlier?: LogEntry[];
  now?: () => Date;
}

export function createLogBook(options: LogBookOptions = {}): LogBook {
  const now = options.now ?? (() => new Date());
  const recent: LogEntry[] = (options.earlier ?? []).slice(-RECENT_KEPT);
  const log = (level: LogLevel) => (event: string, fields?: LogFields) => {
    const entry = redactEntry(level, event, fields, now());
    if (level !== 'info') {
      recent.push(entry);
      if (recent.length > RECENT_KEPT) recent.shift();
    }
    options.write?.(`${JSON.stringify(entry)}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error'), recent: () => recent.map((e) => ({ ...e })) };
}

/** Reads entries back from JSON lines (a log file's tail), redacting them again: the file may have been edited. */
export function parseLogLines(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const raw = JSON.parse(line) as Record<string, unknown>;
      const level = raw.level;
      if (level !== 'info' && level !== 'warn' && level !== 'error') continue;
      const at = new Date(typeof raw.at === 'string' ? raw.at : NaN);
      if (Number.isNaN(at.getTime()) || typeof raw.event !== 'string') continue;
      entries.push(redactEntry(level, raw.event, raw as LogFields, at));
    } catch {
      // A line cut by a crash mid-write is not an entry.
    }
  }
  return entries;
}
