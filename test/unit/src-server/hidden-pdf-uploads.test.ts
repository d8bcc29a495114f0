/**
 * Issue 14, item 1, through HTTP: the uploads an attacker's probe got stored are refused with
 * the contract's codes, and a genuine PDF still goes in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIECES, tableInStreamBody, xrefStreamInBody } from '../../support/hidden-pdf';
import { pdf } from '../../support/pdf-bytes';
import { makeTestApp, tinyPdf, type TestApp } from '../../support/server-helpers';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await makeTestApp();
  token = await t.login();
});
afterAll(async () => {
  await t.close();
});

const { CATALOG, PAGES, PAGE, JS } = PIECES;

describe('uploads of PDFs that hide active content (issue 14, item 1)', () => {
  const cases: [string, Buffer, number, string][] = [
    ['(a) the real table and catalog inside a stream body', tableInStreamBody([[5, JS]]), 422, 'pdf_active_content'],
    ['(b) an HTML page with a script before a PDF', Buffer.concat([Buffer.from('<html><script>alert(1)</script></html>\n'), tinyPdf()]), 415, 'file_type_not_allowed'],
    ['(c) a cross-reference stream in ASCIIHexDecode', xrefStreamInBody(['ASCIIHexDecode']), 422, 'pdf_active_content'],
    ['(d) an /S that is a reference to /Launch', pdf([CATALOG.replace('>>', '/OpenAction 4 0 R >>'), PAGES, PAGE, '<< /S 5 0 R /F (calc.exe) >>', '/Launch']), 422, 'pdf_active_content'],
  ];
  for (const [name, bytes, status, code] of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const res = await t.upload(token, 'diplome', bytes);
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code });
    });
  }

  it('a genuine PDF still goes in', async () => {
    expect((await t.upload(token, 'diplome', tinyPdf('genuine'))).statusCode).toBe(201);
  });
});
