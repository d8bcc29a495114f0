/**
 * Showing and saving what the server sent with the staff token. The bytes come through fetch
 * (the token stays in a header, never in an address) and are handed to the browser as a blob:
 * URL of this page: a PDF opens in the browser's own viewer, a JPEG as an image.
 */

/** How long a blob: address stays valid: enough for the new tab to read it all. */
const KEEP_URL_MS = 2 * 60_000;

/**
 * Opens the bytes in a new tab. The tab is opened at once, while the click still counts as the
 * person's (a tab opened after a wait is blocked as a pop-up), and given the bytes once they are
 * here. Answers the French message to show, or null.
 */
export async function openBlobInNewTab(fetchBytes: () => Promise<Blob>): Promise<string | null> {
  const tab = window.open('', '_blank');
  try {
    const blob = await fetchBytes();
    const url = URL.createObjectURL(blob);
    setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
    if (!tab) return "Le navigateur a bloqué l'ouverture d'un nouvel onglet : autorisez les fenêtres de ce site, puis réessayez.";
    // The document shown must not reach back into the back office.
    tab.opener = null;
    tab.location.href = url;
    return null;
  } catch (error) {
    tab?.close();
    return error instanceof Error && error.message ? error.message : "Le document n'a pas pu être ouvert. Réessayez.";
  }
}

/** Offers the bytes as a download under `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
}
