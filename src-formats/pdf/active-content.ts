/**
 * The one list of what counts as active content in a PDF (issue 13): the server refuses a file
 * that has any (`pdf_active_content`), the engine rebuilds it without. Both read it here, so a
 * file the engine cleaned is never one the server refuses, and nothing the server refuses is
 * passed on by the engine as it is. The list is the union of what each side had before.
 */

/** Action types (`/S`) that run, send, play or open something. */
export const ACTIVE_ACTIONS: ReadonlySet<string> = new Set([
  'JavaScript',
  'Launch',
  'SubmitForm',
  'ResetForm',
  'ImportData',
  'Rendition',
  'GoToE',
  // Opens another file, or a remote one (a UNC path leaks the candidate's Windows credentials).
  'GoToR',
  'RichMediaExecute',
  'Sound',
  'Movie',
]);

/** Annotation subtypes that embed files, media or 3D scenes (dropped whole by the engine). */
export const ACTIVE_ANNOTATIONS: ReadonlySet<string> = new Set(['FileAttachment', 'RichMedia', 'Movie', 'Sound', 'Screen', '3D']);

/**
 * Keys whose mere presence is active content: inline JavaScript, additional actions (run on
 * open, close, print, page view…), attachments, rich media and XFA forms. /JavaScript as a key
 * is found only in a /Names dictionary: a document-level script tree, caught wherever that
 * dictionary is written (in the catalog or, usually, an object of its own).
 */
export const ACTIVE_KEYS: ReadonlySet<string> = new Set(['JS', 'JavaScript', 'AA', 'EF', 'EmbeddedFiles', 'RichMedia', 'XFA']);

/** Object types that are an attachment by themselves. */
export const ACTIVE_TYPES: ReadonlySet<string> = new Set(['EmbeddedFile']);

/** Keys whose name value the policy tests, and the names that are active there. */
export const ACTIVE_NAMES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['S', ACTIVE_ACTIONS],
  ['Type', ACTIVE_TYPES],
  ['Subtype', ACTIVE_ANNOTATIONS],
]);

/** Why `name` under `key` is active content (`/S /Launch` → 'Launch'); undefined when it is not. */
export function activeName(key: string, name: string): string | undefined {
  return ACTIVE_NAMES.get(key)?.has(name) ? name : undefined;
}

/**
 * Keys that lead to actions or to the name trees. A reader follows an indirect reference
 * there; a checker that cannot find its target cannot say what the reader would run, and
 * refuses the file as unreadable rather than pass it.
 */
export const ACTION_KEYS: ReadonlySet<string> = new Set(['OpenAction', 'A', 'Next', 'AA', 'JS', 'Names', 'S', 'Type', 'Subtype']);

/** A dictionary as each reader holds it: its keys, and the name a key holds, if it is one. */
export interface DictView {
  keys(): Iterable<string>;
  name(key: string): string | undefined;
}

/** Why a dictionary is, or directly holds, active content; undefined when it does not. */
export function activeContentOf(dict: DictView): string | undefined {
  for (const key of dict.keys()) if (ACTIVE_KEYS.has(key)) return key;
  for (const key of ACTIVE_NAMES.keys()) {
    const name = dict.name(key);
    const reason = name === undefined ? undefined : activeName(key, name);
    if (reason) return reason;
  }
  return undefined;
}
