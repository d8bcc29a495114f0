/**
 * The one way names and dossier numbers are compared when staff search (api-contract.md 5.3:
 * "accents and case ignored"): the server stores this form in an indexed column and normalises
 * each searched word the same way, so "Lea", "léa" and "LÉA" find Léa.
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a search, each normalised; empty when nothing searchable was typed. */
export function searchWords(query: string): string[] {
  return searchKey(query)
    .split(' ')
    .filter((w) => w.length > 0);
}
