/**
 * The OpenAPI 3.1 document at /api/v1/openapi.json, generated from the route table
 * (src-shared/http-api.ts), the same table the server registers its routes from: the document
 * cannot drift from what is enforced.
 */
import type { TSchema } from '@sinclair/typebox';
import { API_BASE, ProblemSchema } from '../src-shared/contract';
import { HTTP_API, NoContent, isBytes, type Bytes, type RouteSpec } from '../src-shared/http-api';

function bytesContent(bytes: Bytes): Record<string, { schema: object }> {
  return Object.fromEntries(
    bytes.mediaTypes.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]),
  );
}

function answer(schema: TSchema | Bytes): object {
  if (isBytes(schema)) return { description: 'OK', content: bytesContent(schema) };
  if (schema === NoContent) return { description: 'No content' };
  return { description: 'OK', content: { 'application/json': { schema } } };
}

function operation(spec: RouteSpec): object {
  const parameters = [
    ...Object.entries(spec.params?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema,
    })),
    ...Object.entries(spec.query?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: spec.query?.required?.includes(name) ?? false,
      schema,
    })),
    ...Object.entries(spec.headers?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'header',
      required: spec.headers?.required?.includes(name) ?? false,
      schema,
    })),
  ];
  const responses: Record<string, object> = {};
  for (const [status, schema] of Object.entries(spec.answers)) responses[status] = answer(schema);
  for (const status of spec.problems)
    responses[String(status)] = {
      description: 'Problem',
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  const body = spec.body;
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: isBytes(body) ? bytesContent(body) : { 'application/json': { schema: body } },
          },
        }
      : {}),
    ...(spec.auth !== 'none' ? { security: [{ bearer: [] }] } : {}),
    responses,
  };
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, object>>;
  [key: string]: unknown;
}

export function openApiDocument(): OpenApiDocument {
  const paths: Record<string, Record<string, object>> = {};
  for (const spec of Object.values(HTTP_API) as RouteSpec[]) {
    const item = (paths[spec.path] ??= {});
    item[spec.method.toLowerCase()] = operation(spec);
    // A route outside API_BASE says so for itself (a Path Item's own servers).
    if (spec.mount === 'root') item.servers = [{ url: '/' }];
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Assistant Dépôt, API compagnon', version: '1' },
    servers: [{ url: API_BASE }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
