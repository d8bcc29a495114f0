import { inflateSync } from 'node:zlib';

/**
 * The text a pdf-lib document draws with its standard fonts (hex strings shown by `Tj` in
 * Flate-compressed content streams), one string per line drawn, decoded as WinAnsi (latin1).
 */
export function drawnText(bytes: Uint8Array): string[] {
  const body = Buffer.from(bytes).toString('latin1');
  const lines: string[] = [];
  for (const match of body.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      continue; // not a Flate stream (an image, say)
    }
    for (const shown of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) lines.push(Buffer.from(shown[1]!, 'hex').toString('latin1'));
  }
  return lines;
}
