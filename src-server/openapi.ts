/**
 * The OpenAPI 3.1 document at /api/v1/openapi.json, built from the routes' own schemas as they
 * are registered: one source of truth, so the document cannot drift from what is enforced.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { API_BASE } from '../src-shared/contract';

interface RouteSchema {
  summary?: string;
  description?: string;
  hide?: boolean;
  params?: { properties?: Record<string, unknown> };
  querystring?: { properties?: Record<string, unknown>; required?: string[] };
  body?: unknown;
  headers?: { properties?: Record<string, unknown> };
  response?: Record<string, unknown>;
}

const PROTECTED = new Set(['candidate', 'staff', 'instruction', 'any']);

export function openApiCollector(app: FastifyInstance) {
  const routes: { method: string; url: string; schema: RouteSchema; auth?: string }[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = (route.schema ?? {}) as RouteSchema;
    if (schema.hide || !route.url.startsWith(API_BASE)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method: method.toLowerCase(), url: route.url, schema, auth: (route.config as { auth?: string } | undefined)?.auth });
    }
  });

  return {
    document() {
      const paths: Record<string, Record<string, unknown>> = {};
      for (const r of routes) {
        const path = r.url.slice(API_BASE.length).replace(/:([A-Za-z]+)/g, '{$1}') || '/';
        const parameters = [
          ...Object.entries(r.schema.params?.properties ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
          ...Object.entries(r.schema.querystring?.properties ?? {}).map(([name, schema]) => ({
            name,
            in: 'query',
            required: r.schema.querystring?.required?.includes(name) ?? false,
            schema,
          })),
          ...Object.entries(r.schema.headers?.properties ?? {}).map(([name, schema]) => ({ name, in: 'header', required: false, schema })),
        ];
        const responses: Record<string, unknown> = {};
        for (const [status, schema] of Object.entries(r.schema.response ?? {})) {
          const isProblem = Number(status) >= 400;
          responses[status] =
            (schema as { type?: string }).type === 'null'
              ? { description: 'No content' }
              : { description: isProblem ? 'Problem' : 'OK', content: { [isProblem ? 'application/problem+json' : 'application/json']: { schema } } };
        }
        if (Object.keys(responses).length === 0) responses['200'] = { description: 'OK' };
        (paths[path] ??= {})[r.method] = {
          summary: r.schema.summary,
          description: r.schema.description,
          ...(parameters.length > 0 ? { parameters } : {}),
          ...(r.schema.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.schema.body } } } } : {}),
          ...(r.auth && PROTECTED.has(r.auth) ? { security: [{ bearer: [] }] } : {}),
          responses,
        };
      }
      return {
        openapi: '3.1.0',
        info: { title: 'Assistant Dépôt, API compagnon', version: '1' },
        servers: [{ url: API_BASE }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        paths,
      };
    },
  };
}
