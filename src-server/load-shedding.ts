/**
 * Past capacity, answer 503 with Retry-After at once rather than letting requests queue until
 * they time out: the desktop app retries on its own, and a quick "come back in a few seconds"
 * is better for everyone than a hung connection. Closure is cheap and decisive on the last
 * night, so it has its own, larger allowance and never waits behind uploads.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../src-shared/errors';

export interface LoadLimits {
  /** Uploads streaming at once. */
  maxUploads: number;
  /** Other requests in flight at once (closure excluded). */
  maxRequests: number;
  /** Closures (and receipt reads) in flight at once. */
  maxClosures: number;
  /** Event-loop delay (ms, mean over the last second) past which non-closure work is shed. */
  maxEventLoopDelayMs: number;
  retryAfterSeconds: number;
}

export const DEFAULT_LIMITS: LoadLimits = {
  maxUploads: 48,
  maxRequests: 512,
  maxClosures: 1024,
  maxEventLoopDelayMs: 500,
  retryAfterSeconds: 5,
};

type Lane = 'upload' | 'closure' | 'other' | 'free';

function laneOf(request: FastifyRequest): Lane {
  const url = request.routeOptions.url ?? '';
  if (url.endsWith('/health') || url.endsWith('/time')) return 'free';
  if (url.endsWith('/closure') || url.endsWith('/receipt')) return 'closure';
  if (request.method === 'POST' && url.endsWith('/documents')) return 'upload';
  return 'other';
}

declare module 'fastify' {
  interface FastifyRequest {
    loadLane?: Lane;
  }
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

  app.addHook('onRequest', async (request) => {
    const lane = laneOf(request);
    const overloaded =
      inFlight[lane] >= cap[lane] ||
      (lane !== 'closure' && lane !== 'free' && loopDelayMs > limits.maxEventLoopDelayMs);
    if (overloaded) {
      request.log.warn({ lane, inFlight: inFlight[lane] }, 'shedding load');
      throw new AppError('overloaded', undefined, { retryAfterSeconds: limits.retryAfterSeconds });
    }
    inFlight[lane]++;
    request.loadLane = lane;
  });
  const release = async (request: FastifyRequest) => {
    if (request.loadLane) {
      inFlight[request.loadLane]--;
      request.loadLane = undefined;
    }
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
}
