/**
 * One table, three readers: the OpenAPI document and the server's routes are both derived from
 * src-shared/http-api.ts, so every route of the table is served and documented, and the server
 * refuses to start with a route the table does not describe.
 */
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fastifyPath, onlyTableRoutes, route, type Api } from '../../../src-server/routes/route';
import { HTTP_API, isBytes, type RouteSpec } from '../../../src-shared/http-api';
import { API, makeTestApp, type TestApp } from '../../support/server-helpers';

const specs = Object.entries(HTTP_API) as [string, RouteSpec][];

describe('routes and OpenAPI document from the route table', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('documents every route of the table with its parameters, body, statuses and security', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${API}/openapi.json` });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers).toEqual([{ url: API }]);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).filter((key) => key !== 'servers').map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual(specs.map(([, s]) => `${s.method} ${s.path}`).sort());
    for (const [name, spec] of specs) {
      const op = doc.paths[spec.path][spec.method.toLowerCase()];
      const statuses = [...Object.keys(spec.answers), ...spec.problems.map(String)];
      expect(Object.keys(op.responses).sort(), name).toEqual(statuses.sort());
      const pathParams = (op.parameters ?? [])
        .filter((p: { in: string }) => p.in === 'path')
        .map((p: { name: string }) => p.name);
      expect(pathParams, name).toEqual(Object.keys(spec.params?.properties ?? {}));
      expect(op.requestBody !== undefined, name).toBe(spec.body !== undefined);
      if (isBytes(spec.body))
        expect(Object.keys(op.requestBody.content), name).toEqual([...spec.body.mediaTypes]);
      expect(op.security !== undefined, name).toBe(spec.auth !== 'none');
      // Outside API_BASE, the path says where it is served from.
      expect(doc.paths[spec.path].servers, name).toEqual(spec.mount === 'root' ? [{ url: '/' }] : undefined);
    }
  });

  it('serves every route of the table', () => {
    // The update feed is served only with --updates (test/integration/src-server/routes/updates.test.ts).
    for (const [name, spec] of specs.filter(([, s]) => s.mount !== 'root'))
      expect(t.app.hasRoute({ method: spec.method, url: API + fastifyPath(spec.path) }), name).toBe(
        true,
      );
  });
});

describe('a route outside the table', () => {
  async function appWith(register: (api: Api) => void): Promise<void> {
    const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    await app.register(
      async (api) => {
        onlyTableRoutes(api, API);
        register(api);
      },
      { prefix: API },
    );
    try {
      await app.ready();
    } finally {
      await app.close();
    }
  }

  it('is refused when the app is built', async () => {
    await expect(appWith((api) => api.get('/extra', async () => ({})))).rejects.toThrow(
      /GET \/api\/v1\/extra is not in src-shared\/http-api.ts/,
    );
  });

  it('is refused when registered with another method or path than its entry', async () => {
    await expect(
      appWith((api) => api.post('/time', { config: { route: 'time' } }, async () => ({}))),
    ).rejects.toThrow(/POST \/api\/v1\/time/);
    await expect(
      appWith((api) => api.get('/clock', { config: { route: 'time' } }, async () => ({}))),
    ).rejects.toThrow(/\/api\/v1\/clock/);
  });

  it('is accepted when registered from the table, bytes body included', async () => {
    await expect(
      appWith((api) => {
        route(api, 'time', async () => ({ now: new Date().toISOString() }));
        route(api, 'addDocument', async (request) => {
          request.body.resume();
          throw new Error('not called');
        });
      }),
    ).resolves.toBeUndefined();
  });
});
