/**
 * A back office download link (`?ticket=`) is meant to be opened once, by the back office, within
 * its minute. Opened by hand afterwards (from the browser's history, a second click on a saved
 * address), the browser would show the raw problem JSON. So when the request is a browser's
 * navigation, one that prefers HTML, the refusal is a small French page instead: the same
 * status, the code's own sentence from src-shared/errors.ts, and a link back to the back office.
 * Programs (asking for JSON, or for anything at all) keep the contract's problem+json.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import type { Problem } from '../../src-shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/content-security-policy';
import { DOWNLOAD_REFUSED_PAGE } from '../../src-shared/errors';
import { BACKOFFICE_PREFIX } from '../backoffice-files';
import { takesTicket } from './tickets';

/** In order of preference when the client likes them as much (`*∕*`): programs come first. */
const ANSWER_TYPES = ['application/problem+json', 'application/json', 'text/html'];

/** A refusal on a download route to a client that prefers HTML over JSON: a browser's navigation. */
export function wantsRefusalPage(request: FastifyRequest): boolean {
  return takesTicket(request) && new Negotiator(request.raw).mediaType(ANSWER_TYPES) === 'text/html';
}

/** Text between tags: these three are all that could be read as markup there. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeHtml = (text: string) => text.replace(/[&<>]/g, (ch) => ESCAPES[ch]!);

/** The page: plain, readable without the back office's stylesheet, usable with the keyboard alone. */
export function refusalPage(detail: string): string {
  const { title, back } = DOWNLOAD_REFUSED_PAGE;
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { margin: 0; font: 1.0625rem/1.5 system-ui, sans-serif; color: #1e1e1e; background: #f6f6f6; }
main { max-width: 40rem; margin: 3rem auto; padding: 1.5rem 2rem; background: #fff; border: 1px solid #c8c8c8; border-radius: 6px; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
a { color: #000091; font-weight: 600; }
a:focus-visible { outline: 3px solid #000091; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(detail)}</p>
<p><a href="${BACKOFFICE_PREFIX}">${escapeHtml(back)}</a></p>
</main>
</body>
</html>
`;
}

/**
 * Sends the refusal as the page, with the problem's status and the back office's own headers
 * (its CSP allows the page's inline style; the API's other security headers are already set).
 */
export function sendRefusalPage(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .type('text/html; charset=utf-8')
    .send(refusalPage(problem.detail));
}
