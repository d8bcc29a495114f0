/**
 * Past capacity, answer 503 with Retry-After at once rather than letting requests queue until
 * they time out: the desktop app retries on its own, and a quick "come back in a few seconds"
 * is better for everyone than a hung connection. Closure is cheap and decisive on the last
 * night, so it has its own, larger allowance and never waits behind uploads.
 *
 * A request counts only once its route has admitted it (api-contract.md 5.6): after
 * authentication and its parsed, validated body (preHandler), or, for an upload (a route whose
 * body streams), once the handler's own checks (dossier state, piece, declared size and
 * digest) have passed (`admitLoad`). Connections that send headers and then nothing therefore hold no capacity;
 * body-deadlines.ts cuts them. One token holds at most a few slots, so a candidate's own
 * stalled uploads cannot fill the lane either.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../src-shared/errors';
import type { RouteName } from '../src-shared/http-api';
import { streamsBody } from './body-deadlines';

export interface LoadLimits {
  /** Uploads streaming at once. */
  maxUploads: number;
  /** Other requests in flight at once (closure excluded). */
  maxRequests: number;
  /** Closures (and receipt reads) in flight at once. */
  maxClosures: number;
  /** Event-loop delay (ms, mean over the last second) past which non-closure work is shed. */
  maxEventLoopDelayMs: number;
  /** Uploads one session token may stream at once. */
  maxUploadsPerToken: number;
  /** Requests of any lane one session token may have in flight at once. */
  maxRequestsPerToken: number;
  retryAfterSeconds: number;
}

export const DEFAULT_LIMITS: LoadLimits = {
  maxUploads: 48,
  maxRequests: 512,
  maxClosures: 1024,
  maxEventLoopDelayMs: 500,
  maxUploadsPerToken: 2,
  maxRequestsPerToken: 8,
  retryAfterSeconds: 5,
};

type Lane = 'upload' | 'closure' | 'other' | 'free';

/**
 * Routes with a lane of their own, by their name in the route table. Clock and health answers
 * cost nothing and tell a waiting app when to come back, so they are never shed.
 */
const NAMED_LANES: Partial<Record<RouteName, Lane>> = {
  health: 'free',
  time: 'free',
  closure: 'closure',
  receipt: 'closure',
};

/** A route whose body streams (a file) is an upload; unknown paths (404s, static files) are 'other'. */
function laneOf(request: FastifyRequest): Lane {
  const name = request.routeOptions.config.route;
  if (!name) return 'other';
  return NAMED_LANES[name] ?? (streamsBody(request) ? 'upload' : 'other');
}

declare module 'fastify' {
  interface FastifyRequest {
    loadLane?: Lane;
    loadGate?: LoadGate;
  }
}

interface LoadGate {
  admit(request: FastifyRequest): void;
}

/**
 * Counts `request` against the capacity limits, or throws AppError overloaded. Called by the
 * handler of a route whose body streams (uploads: a bytes body in the route table) once its
 * own checks have passed, just before it reads the body; every other route is admitted before
 * its handler.
 */
export function admitLoad(request: FastifyRequest): void {
  request.loadGate?.admit(request);
}

export function loadShedding(app: FastifyInstance, overrides: Partial<LoadLimits> = {}): void {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  const inFlight: Record<Lane, number> = { upload: 0, closure: 0, other: 0, free: 0 };
  const cap: Record<Lane, number> = {
    upload: limits.maxUploads,
    closure: limits.maxClosures,
    other: limits.maxRequests,
    free: Number.POSITIVE_INFINITY,
  };
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  let loopDelayMs = 0;
  const sampler = setInterval(() => {
    loopDelayMs = histogram.mean / 1e6;
    histogram.reset();
  }, 1000);
  sampler.unref();
  app.addHook('onClose', async () => {
    clearInterval(sampler);
    histogram.disable();
  });

  const perToken = new Map<string, { all: number; uploads: number }>();
  const tokenCount = (request: FastifyRequest) => (request.tokenHash ? perToken.get(request.tokenHash) : undefined);

  const gate: LoadGate = {
    admit(request) {
      if (request.loadLane) return;
      const lane = laneOf(request);
      if (lane === 'free') return;
      const mine = tokenCount(request) ?? { all: 0, uploads: 0 };
      const overloaded =
        inFlight[lane] >= cap[lane] ||
        (lane !== 'closure' && loopDelayMs > limits.maxEventLoopDelayMs) ||
        mine.all >= limits.maxRequestsPerToken ||
        (lane === 'upload' && mine.uploads >= limits.maxUploadsPerToken);
      if (overloaded) {
        request.log.warn({ lane, inFlight: inFlight[lane], byToken: mine.all }, 'shedding load');
        throw new AppError('overloaded', undefined, { retryAfterSeconds: limits.retryAfterSeconds });
      }
      inFlight[lane]++;
      request.loadLane = lane;
      if (request.tokenHash) {
        mine.all++;
        if (lane === 'upload') mine.uploads++;
        perToken.set(request.tokenHash, mine);
      }
    },
  };

  app.addHook('onRequest', async (request) => {
    request.loadGate = gate;
  });
  app.addHook('preHandler', async (request) => {
    if (!streamsBody(request)) gate.admit(request);
  });
  const release = async (request: FastifyRequest) => {
    const lane = request.loadLane;
    if (!lane) return;
    inFlight[lane]--;
    request.loadLane = undefined;
    const mine = tokenCount(request);
    if (mine) {
      mine.all--;
      if (lane === 'upload') mine.uploads--;
      if (mine.all === 0) perToken.delete(request.tokenHash!);
    }
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
}
