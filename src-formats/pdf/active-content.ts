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

/** A dictionary as each reader holds it: its keys, and the name a key holds, if it is one. */
export interface DictView {
  keys(): Iterable<string>;
  name(key: string): string | undefined;
}

/** Why a dictionary is, or directly holds, active content; undefined when it does not. */
export function activeContentOf(dict: DictView): string | undefined {
  for (const key of dict.keys()) if (ACTIVE_KEYS.has(key)) return key;
  const action = dict.name('S');
  if (action && ACTIVE_ACTIONS.has(action)) return action;
  const type = dict.name('Type');
  if (type && ACTIVE_TYPES.has(type)) return type;
  const subtype = dict.name('Subtype');
  if (subtype && ACTIVE_ANNOTATIONS.has(subtype)) return subtype;
  return undefined;
}
