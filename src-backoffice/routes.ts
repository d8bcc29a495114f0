/**
 * The back office's places, in the address's fragment (#/dossiers/NUMBER): the server serves one
 * page, and the browser's Back button and bookmarks still work.
 */
export type Route = { screen: 'list' } | { screen: 'dossier'; dossier: string };

export function routeOf(hash: string): Route {
  const match = /^#\/dossiers\/([^/?#]+)$/.exec(hash);
  if (match) {
    try {
      const dossier = decodeURIComponent(match[1]!);
      if (dossier.trim()) return { screen: 'dossier', dossier };
    } catch {
      // A broken escape in a hand-typed address: the list is the safe place.
    }
  }
  return { screen: 'list' };
}

export function hashOf(route: Route): string {
  return route.screen === 'dossier' ? `#/dossiers/${encodeURIComponent(route.dossier)}` : '#/';
}
