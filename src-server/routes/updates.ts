/**
 * `GET /updates/{file}` (the route table's `updateFile`): the desktop app's update feed
 * (electron-updater's generic provider), served from a folder the centre fills with what
 * `npm run dist` built (`latest.yml`, `latest-mac.yml`, `latest-linux.yml`, the installers and
 * their blockmaps). Outside `/api/v1`: no session, no load shedding of candidates' requests.
 *
 * Files through @fastify/static (ETag, Last-Modified, byte ranges for resumed and differential
 * downloads, traversal refused). The feed files change at each release and must be read again
 * every time; an installer's name carries its version, so it never changes and may be cached.
 */
import fastifyStatic from '@fastify/static';
import path from 'node:path';
import { sendProblem } from '../problem';
import { route, type Api } from './route';

/** A year: versioned files never change under the same name. */
const VERSIONED_CACHE = 'public, max-age=31536000, immutable';

export function updatesCacheControl(file: string): string {
  return /^latest(-[a-z0-9]+)?\.yml$/i.test(path.basename(file)) ? 'no-cache' : VERSIONED_CACHE;
}

export async function updatesRoutes(app: Api, options: { dir: string }): Promise<void> {
  await app.register(async (scope) => {
    // After the app's own headers (no-store for API answers): these answers are downloads.
    scope.addHook('onSend', async (request, reply) => {
      if (reply.statusCode < 400) reply.header('cache-control', updatesCacheControl(request.url.replace(/\?.*$/, '')));
    });
    // A path outside the folder or a hidden file: as if absent, telling nothing more.
    scope.setErrorHandler((error: { statusCode?: number; headers?: Record<string, string> }, _request, reply) => {
      if (error.statusCode === 400 || error.statusCode === 403) return sendProblem(reply, 'not_found');
      if (error.statusCode === 416) {
        // The size, so that a client can ask again for what exists (RFC 9110 section 15.5.17).
        const size = error.headers?.['Content-Range'];
        if (size) reply.header('content-range', size);
        return sendProblem(reply, 'range_not_satisfiable');
      }
      throw error;
    });
    await scope.register(fastifyStatic, {
      root: path.resolve(options.dir),
      // Files are sent by the table's route below, not by a wildcard route of the plugin's own.
      serve: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      etag: true,
      lastModified: true,
      acceptRanges: true,
      cacheControl: false,
    });
    route(scope, 'updateFile', (request, reply) => {
      // Sent by the plugin in its own time (a stream); a synchronous handler that returns nothing.
      void reply.sendFile(request.params.file);
    });
  });
}
