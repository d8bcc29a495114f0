/**
 * Showing and saving what the server sends. A document's bytes come through fetch (the token
 * stays in a header, never in an address) and are handed to the browser as a blob: URL of this
 * page: a PDF opens in the browser's own viewer, a JPEG as an image. ZIPs are downloaded by the
 * browser itself from a single-use address (see staff-api.ts).
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

/**
 * Lets the browser download `url` by itself (a ZIP of a whole campaign streams to disk with the
 * browser's own progress, never into this page's memory). The file's name comes from the
 * server's Content-Disposition.
 */
export function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
