/**
 * A candidate's steps straight over the companion API (no app): log in, send documents, close.
 * For tests whose subject comes after these steps.
 */
import { createHash } from 'node:crypto';
import type { DocumentInfo } from '../../src-shared/contract';

export interface SentFile {
  pieceId: string;
  filename: string;
  mediaType: 'application/pdf' | 'image/jpeg';
  bytes: Buffer;
}

async function ok(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

export async function candidateToken(apiUrl: string, credentials: { dossier: string; password: string }): Promise<string> {
  const response = await ok(
    await fetch(`${apiUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    }),
    'login',
  );
  return ((await response.json()) as { token: string }).token;
}

export async function sendDocument(apiUrl: string, token: string, file: SentFile): Promise<DocumentInfo> {
  const digest = createHash('sha256').update(file.bytes).digest('base64');
  const response = await ok(
    await fetch(`${apiUrl}/api/v1/pieces/${file.pieceId}/documents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': file.mediaType,
        'content-digest': `sha-256=:${digest}:`,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      },
      body: new Uint8Array(file.bytes),
    }),
    `upload ${file.filename}`,
  );
  return (await response.json()) as DocumentInfo;
}

/** Logs in, sends the files, closes the dossier; answers the documents as stored, with their piece. */
export async function closeWith(
  apiUrl: string,
  credentials: { dossier: string; password: string },
  files: SentFile[],
): Promise<(DocumentInfo & { pieceId: string })[]> {
  const token = await candidateToken(apiUrl, credentials);
  const stored: (DocumentInfo & { pieceId: string })[] = [];
  for (const file of files) stored.push({ ...(await sendDocument(apiUrl, token, file)), pieceId: file.pieceId });
  await ok(await fetch(`${apiUrl}/api/v1/closure`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }), 'closure');
  return stored;
}
