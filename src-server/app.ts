/**
 * The companion API as a Fastify instance (api-contract.md section 3), ready for `inject` in
 * tests or `listen` in server.ts. Everything it depends on comes in through `ServerContext`.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_BASE } from '../src-shared/contract';
import { authenticate } from './auth';
import { staffByTicket } from './instruction/tickets';
import { backofficeRoutes } from './backoffice-files';
import { bodyDeadlines, type BodyDeadlines } from './body-deadlines';
import { answerClientError } from './client-errors';
import type { ServerContext } from './context';
import { loadShedding, type LoadLimits } from './load-shedding';
import { openApiDocument } from './openapi';
import { codeOf, closeIfBodyUnread, problemOf, sendProblem } from './problem';
import { sendRefusalPage, wantsRefusalPage } from './instruction/refusal-page';
import { instructionRoutes } from './instruction/routes';
import { candidateRoutes } from './routes/candidate';
import { publicRoutes } from './routes/public';
import { onlyTableRoutes, route } from './routes/route';
import { staffRoutes } from './routes/staff';
import { SECURITY_HEADERS } from './security-headers';
import { updatesRoutes } from './routes/updates';

export interface AppOptions {
  context: ServerContext;
  logger?: FastifyServerOptions['logger'];
  limits?: Partial<LoadLimits>;
  /** The built back office (dist/backoffice), served at /instruction/; none without it. */
  backofficeDir?: string;
  bodyDeadlines?: Partial<BodyDeadlines>;
  /** A folder of desktop app updates to serve at /updates/ (`--updates DIR`). */
  updatesDir?: string;
}

/** Logs name the request, never its secrets: no headers, no bodies, no query string. */
const serializers = {
  req(request: { method: string; url: string; id: string }) {
    return { method: request.method, url: request.url.replace(/\?.*$/, ''), id: request.id };
  },
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const ctx = options.context;
  const logger =
    options.logger === undefined || options.logger === false
      ? false
      : { ...(typeof options.logger === 'object' ? options.logger : {}), serializers, redact: ['req.headers'] };
  const app = Fastify({
    logger,
    // Slow uplinks on the last night: a 10 MB file over a poor line takes minutes.
    requestTimeout: 15 * 60_000,
    connectionTimeout: 0,
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // The framework's own refusals answer problem+json too (api-contract.md 5.6).
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => {
      const { code } = codeOf(error);
      request.log.info({ code, reason: error.code }, 'request refused before routing');
      reply.headers(SECURITY_HEADERS);
      return sendProblem(reply, code);
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  // Once closing has begun, answers end their connection: a keep-alive socket would otherwise
  // hold a graceful stop for the whole keep-alive timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.setErrorHandler((error, request, reply) => {
    const { code, detail, extra } = codeOf(error);
    if (code === 'internal_error') request.log.error({ err: error }, 'request failed');
    else request.log.info({ code }, 'request refused');
    if (reply.sent || reply.raw.headersSent) return;
    closeIfBodyUnread(request, reply, code === 'overloaded');
    const shown = code === 'internal_error' ? undefined : detail;
    // A download link opened by hand in a browser: a page to read, not JSON.
    if (wantsRefusalPage(request)) return sendRefusalPage(reply, problemOf(code, shown, extra));
    return sendProblem(reply, code, shown, extra);
  });
  app.setNotFoundHandler((request, reply) => {
    closeIfBodyUnread(request, reply);
    return sendProblem(reply, 'not_found');
  });

  const openapi = openApiDocument();
  backofficeRoutes(app, options.backofficeDir);
  await app.register(
    async (api) => {
      onlyTableRoutes(api, API_BASE);
      bodyDeadlines(api, options.bodyDeadlines);
      loadShedding(api, options.limits);
      api.addHook('onRequest', authenticate(ctx, (request) => staffByTicket(ctx, request)));
      await publicRoutes(api, ctx);
      await candidateRoutes(api, ctx);
      await staffRoutes(api, ctx);
      await instructionRoutes(api, ctx);
      route(api, 'openApi', async () => openapi);
    },
    { prefix: API_BASE },
  );
  if (options.updatesDir) await updatesRoutes(app, { dir: options.updatesDir });
  return app;
}
