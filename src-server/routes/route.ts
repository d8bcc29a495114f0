/**
 * Registers a handler for one route of the table (src-shared/http-api.ts): method, path,
 * schemas and authentication all come from the table, and Fastify's TypeBox type provider
 * types the handler's request and reply from them (no casts of body, params or query).
 */
import type { Readable } from 'node:stream';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { ProblemSchema } from '../../src-shared/contract';
import {
  HTTP_API,
  isBytes,
  type Bytes,
  type HttpApi,
  type RouteName,
  type RouteSpec,
} from '../../src-shared/http-api';

/** The API's Fastify instance, with the TypeBox type provider. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What a handler may send for a bytes answer: Fastify sends these as they are. */
type BytesPayload = Buffer | Uint8Array | Readable | string;

// A bytes body reaches the handler as the request stream (see `route`); a bytes answer is sent
// as is, so its schema constrains nothing and is never compiled into a serializer that runs.
type ServerBody<T> = T extends Bytes ? TUnsafe<Readable> : T;
type ServerAnswer<T> = T extends Bytes ? TUnsafe<BytesPayload> : T;
type Field<S, K extends string> = S extends Record<K, infer V> ? V : undefined;

export type FastifySchemaOf<S extends RouteSpec> = {
  params: Field<S, 'params'>;
  querystring: Field<S, 'query'>;
  headers: Field<S, 'headers'>;
  body: ServerBody<Field<S, 'body'>>;
  response: { [K in keyof S['answers']]: ServerAnswer<S['answers'][K]> } & {
    [K in S['problems'][number]]: typeof ProblemSchema;
  };
};

export type HandlerOf<N extends RouteName> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  unknown,
  FastifySchemaOf<HttpApi[N]>,
  TypeBoxTypeProvider,
  FastifyBaseLogger
>;

const ANY = Type.Unsafe({});

/** The schema Fastify validates and serializes with, built from the table's entry. */
export function fastifySchema(spec: RouteSpec): Record<string, unknown> {
  const response: Record<number, TSchema> = {};
  for (const [status, answer] of Object.entries(spec.answers))
    response[Number(status)] = isBytes(answer) ? ANY : answer;
  for (const status of spec.problems) response[status] = ProblemSchema;
  return {
    summary: spec.summary,
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
    ...(spec.body ? { body: isBytes(spec.body) ? ANY : spec.body } : {}),
    response,
  };
}

/** `/pieces/{pieceId}/documents` as Fastify writes it: `/pieces/:pieceId/documents`. */
export function fastifyPath(path: string): string {
  return path.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, ':$1');
}

/**
 * Registers `handler` for the route `name`. A route whose body is bytes is registered in a
 * scope of its own whose only content-type parser hands the raw request stream to the handler,
 * whatever its declared type (the type is read from the bytes): nothing is buffered, and the
 * handler enforces its limits while the body streams.
 */
export function route<N extends RouteName>(app: Api, name: N, handler: HandlerOf<N>): void {
  const spec: RouteSpec = HTTP_API[name];
  const options = {
    method: spec.method,
    url: fastifyPath(spec.path),
    schema: fastifySchema(spec) as FastifySchemaOf<HttpApi[N]>,
    config: { auth: spec.auth === 'none' ? undefined : spec.auth, route: name },
    handler,
  };
  if (!isBytes(spec.body)) {
    app.route(options);
    return;
  }
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route(options);
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The table's name of the route, for logs and for checks that every route is in the table. */
    route?: RouteName;
  }
}

/**
 * Refuses, when the app is built, any route of this scope that was not registered from the
 * table as the table says (method and path): a route cannot exist that clients, checks and
 * the OpenAPI document do not know.
 */
export function onlyTableRoutes(app: Api, prefix: string): void {
  app.addHook('onRoute', (options) => {
    const name = options.config?.route;
    const spec: RouteSpec | undefined = name ? HTTP_API[name] : undefined;
    const methods = [options.method]
      .flat()
      .filter((m) => !(m === 'HEAD' && spec?.method === 'GET'));
    const asTable =
      spec &&
      options.url === prefix + fastifyPath(spec.path) &&
      methods.every((m) => m === spec.method);
    if (!asTable)
      throw new Error(
        `${methods.join(',')} ${options.url} is not in src-shared/http-api.ts: add it to the table first, then register it with route().`,
      );
  });
}
