/** The route table against the contract it must keep, and its helpers for clients. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HTTP_API,
  ROUTE_NAMES,
  answerMismatch,
  isBytes,
  pathParamNames,
  urlFor,
  type RouteSpec,
} from '../../../src-shared/http-api';
import { corpusDir } from '../../support/paths';

const specs = Object.entries(HTTP_API) as [string, RouteSpec][];

/** `| \`GET /health\` | 200 … |` rows of the contract's section 3 table. */
function contractRoutes(): { method: string; path: string; statuses: number[] }[] {
  // The contract sits beside the shared corpus.
  const contract = readFileSync(path.resolve(corpusDir, '..', 'api-contract.md'), 'utf8');
  const section = contract.slice(contract.indexOf('## 3.'), contract.indexOf('## 4.'));
  return [...section.matchAll(/^\| `(GET|POST|PUT|DELETE) ([^` ]+)`[^|]*\| ([^\n]*)\|$/gm)].map(
    (m) => ({
      method: m[1]!,
      path: m[2]!,
      statuses: [...m[3]!.matchAll(/(?:^|[\s;(])([1-5]\d\d)(?=[\s;,)]|$)/g)].map((s) =>
        Number(s[1]),
      ),
    }),
  );
}

describe('route table', () => {
  it('keeps every route of the contract, with every status it names', () => {
    const routes = contractRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const route of routes) {
      const spec = specs.find(([, s]) => s.method === route.method && s.path === route.path)?.[1];
      expect(spec, `${route.method} ${route.path}`).toBeDefined();
      const statuses = [...Object.keys(spec!.answers).map(Number), ...spec!.problems];
      for (const status of route.statuses)
        expect(statuses, `${route.method} ${route.path}`).toContain(status);
    }
  });

  it('has one entry per method and path, and path parameters that match its placeholders', () => {
    const keys = specs.map(([, s]) => `${s.method} ${s.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [name, spec] of specs)
      expect(pathParamNames(spec.path).sort(), name).toEqual(
        Object.keys(spec.params?.properties ?? {}).sort(),
      );
  });

  it('lists problems only as error statuses and answers only as successes (or 304 to If-None-Match)', () => {
    for (const [name, spec] of specs) {
      for (const status of Object.keys(spec.answers).map(Number)) {
        // Not modified is an answer only of a GET that takes If-None-Match.
        if (status === 304) expect(spec.method === 'GET' && 'if-none-match' in (spec.headers?.properties ?? {}), name).toBe(true);
        else expect(status, name).toBeLessThan(300);
      }
      for (const status of spec.problems) expect(status, name).toBeGreaterThanOrEqual(400);
    }
  });

  it('builds URLs with every path parameter percent-encoded', () => {
    expect(urlFor('dossier')).toBe('/dossier');
    expect(urlFor('addDocument', { pieceId: 'état/civil ?' })).toBe(
      '/pieces/%C3%A9tat%2Fcivil%20%3F/documents',
    );
    expect(urlFor('staffDossier', { dossier: 'RED27-00042' })).toBe('/staff/dossiers/RED27-00042');
  });

  it('tells where an answer differs from its schema, and accepts one that matches', () => {
    expect(answerMismatch('time', 200, { now: '2027-04-27T21:59:59.999Z' })).toBeNull();
    expect(answerMismatch('time', 200, { now: '2027-04-27T21:59:59+02:00' })).toBeNull();
    expect(answerMismatch('time', 200, { now: '27/04/2027' })).toMatch(/^\/now/);
    expect(answerMismatch('time', 200, '<html>')).not.toBeNull();
    expect(answerMismatch('time', 201, { now: '2027-04-27T21:59:59Z' })).toMatch(/status 201/);
    expect(answerMismatch('closeSession', 204, '')).toBeNull();
    expect(answerMismatch('receiptPdf', 200, 'application/pdf')).toBeNull();
    expect(answerMismatch('receiptPdf', 200, 'text/html')).toMatch(/media type/);
  });

  it('names every route once, in ROUTE_NAMES', () => {
    expect(ROUTE_NAMES.sort()).toEqual(Object.keys(HTTP_API).sort());
    expect(specs.filter(([, s]) => isBytes(s.body)).map(([n]) => n)).toEqual(['addDocument']);
  });
});
