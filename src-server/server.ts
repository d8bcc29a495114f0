/**
 * Starts the companion API on a socket. The desktop app embeds it on loopback through
 * `startServer`; the command line (cli.ts) uses the same function.
 */
import type { FastifyServerOptions } from 'fastify';
import { buildApp } from './app';
import type { BodyDeadlines } from './body-deadlines';
import { openContext, type ServerContext } from './context';
import type { LoadLimits } from './load-shedding';
import type { ScryptCost } from './passwords';

export interface StartOptions {
  dataDir: string;
  campaignFiles: string[];
  demo: boolean;
  host: string;
  port: number;
  /** PostgreSQL connection URL: several servers share one database (SQLite otherwise). */
  databaseUrl?: string;
  /** The built back office (dist/backoffice), served at /instruction/. */
  backofficeDir?: string;
  /** A folder of desktop app updates served at /updates/. */
  updatesDir?: string;
}

export interface AdvancedStartOptions extends StartOptions {
  now?: () => Date;
  scryptCost?: ScryptCost;
  logger?: FastifyServerOptions['logger'];
  limits?: Partial<LoadLimits>;
  /** Shorter body deadlines (tests); body-deadlines.ts has the defaults. */
  bodyDeadlines?: Partial<BodyDeadlines>;
  campaignValues?: unknown[];
  /** See ContextOptions.pdfWorkerScript. */
  pdfWorkerScript?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface RunningServerWithContext extends RunningServer {
  context: ServerContext;
  /** Reads the campaign files again (a moved deadline, new candidates), without a restart. */
  reloadCampaigns(): void;
}

const HOUR = 3600 * 1000;

export async function startServer(options: StartOptions | AdvancedStartOptions): Promise<RunningServerWithContext> {
  const advanced = options as AdvancedStartOptions;
  const context = await openContext({
    dataDir: options.dataDir,
    campaignFiles: options.campaignFiles,
    campaignValues: advanced.campaignValues,
    demo: options.demo,
    databaseUrl: options.databaseUrl,
    now: advanced.now,
    scryptCost: advanced.scryptCost,
    pdfWorkerScript: advanced.pdfWorkerScript,
  });
  const app = await buildApp({
    context,
    logger: advanced.logger ?? false,
    limits: advanced.limits,
    bodyDeadlines: advanced.bodyDeadlines,
    backofficeDir: options.backofficeDir,
    updatesDir: options.updatesDir,
  });
  // A failed purge is tried again the next hour; it is logged, not thrown into the timer.
  const housekeep = (task: string, work: Promise<unknown>) =>
    void work.catch((err: unknown) => app.log.warn({ err, task }, 'housekeeping failed'));
  const housekeeping = setInterval(() => {
    const now = context.now();
    housekeep('sessions', context.storage.purgeExpiredSessions(now));
    housekeep('device_tokens', context.storage.purgeExpiredDeviceTokens(now));
    housekeep('download_tickets', context.storage.purgeExpiredDownloadTickets(now));
    housekeep('login_throttles', context.storage.purgeLoginThrottles(new Date(now.getTime() - 24 * HOUR)));
  }, HOUR);
  housekeeping.unref();
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (err) {
    clearInterval(housekeeping);
    await app.close();
    await context.dispose();
    await context.storage.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    context,
    reloadCampaigns: () => {
      context.campaigns.reload();
      // New or renamed candidates become searchable once stored; the reload itself stands.
      void context.storage
        .indexDossiers(context.campaigns.identities())
        .catch((err: unknown) => app.log.error({ err }, 'dossier index not updated after reload'));
    },
    close() {
      // Fastify's close lets in-flight requests finish (each upload commits or leaves nothing)
      // before the database closes.
      closing ??= (async () => {
        clearInterval(housekeeping);
        await app.close();
        await context.dispose();
        await context.storage.close();
      })();
      return closing;
    },
  };
}
