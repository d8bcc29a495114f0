/**
 * The defaults of the body deadlines and per-token caps are the ones the server README and
 * api-contract.md 5.6 promise (tests run with shorter ones, so only this checks the real ones).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BODY_DEADLINES } from '../../../src-server/body-deadlines';
import { DEFAULT_LIMITS } from '../../../src-server/load-shedding';
import { projectRoot } from '../../support/paths';

const readme = readFileSync(path.join(projectRoot, 'src-server', 'README.md'), 'utf8').replace(/\s+/g, ' ');

function documented(pattern: RegExp): number {
  const m = pattern.exec(readme);
  if (!m) throw new Error(`not documented in src-server/README.md: ${pattern}`);
  return Number(m[1]);
}

describe('body deadlines and per-token caps: defaults', () => {
  it('are the documented ones', () => {
    expect({
      idleMs: documented(/an upload is cut after (\d+) s without a byte/) * 1000,
      graceMs: documented(/past its first (\d+) s/) * 1000,
      minBytesPerSecond: documented(/averages under (\d+) bytes\/s/),
      jsonBodyMs: documented(/a JSON body must arrive whole within (\d+) s/) * 1000,
    }).toEqual(DEFAULT_BODY_DEADLINES);
    expect({
      maxUploadsPerToken: documented(/one session token holds at most (\d+) uploads/),
      maxRequestsPerToken: documented(/at most \d+ uploads and (\d+) requests in flight/),
    }).toEqual({ maxUploadsPerToken: DEFAULT_LIMITS.maxUploadsPerToken, maxRequestsPerToken: DEFAULT_LIMITS.maxRequestsPerToken });
  });

  it('cut a silent body within the 30 s the contract allows', () => {
    expect(DEFAULT_BODY_DEADLINES.idleMs).toBeLessThanOrEqual(30_000);
    expect(DEFAULT_BODY_DEADLINES.jsonBodyMs).toBeLessThanOrEqual(DEFAULT_BODY_DEADLINES.idleMs);
    expect(DEFAULT_BODY_DEADLINES.minBytesPerSecond).toBeGreaterThan(0);
  });
});
