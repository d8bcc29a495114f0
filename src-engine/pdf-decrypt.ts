/**
 * Opening a PDF that has an owner password only, as every reader does: with the file key
 * of the empty user password, decrypt its strings and streams in place, parse the object
 * streams that were unreadable before, and drop /Encrypt. The document can then be copied,
 * cleaned or recompressed like any other. (The original bytes stay untouched: a file that
 * needs no change is still sent as it was.)
 */
import type { PDFDocument, PDFObject, PDFRawStream, PDFRef } from 'pdf-lib';
import { decryptObjectData, type StandardSecurity } from '../src-formats';
import type { PdfLib } from './pdf-lib';

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

export async function decryptDocument(lib: PdfLib, doc: PDFDocument, security: StandardSecurity, fileKey: Uint8Array): Promise<void> {
  const { PDFArray, PDFDict, PDFHexString, PDFInvalidObject, PDFName, PDFObjectParser, PDFObjectStreamParser, PDFString } = lib;
  const { context } = doc;
  const encryptRef = context.trailerInfo.Encrypt;

  const decryptString = (value: PDFObject, ref: PDFRef): PDFObject | undefined => {
    if (!(value instanceof PDFString || value instanceof PDFHexString)) return undefined;
    const plain = decryptObjectData(security, fileKey, security.stringMethod, ref.objectNumber, ref.generationNumber, value.asBytes());
    return PDFHexString.of(hex(plain));
  };
  const walk = (object: PDFObject, ref: PDFRef, depth: number): void => {
    if (depth > 64) return;
    if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) {
        const plain = decryptString(value, ref);
        if (plain) object.set(key, plain);
        else walk(value, ref, depth + 1);
      }
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) {
        const value = object.get(i);
        const plain = decryptString(value, ref);
        if (plain) object.set(i, plain);
        else walk(value, ref, depth + 1);
      }
    }
  };

  const objectStreams: PDFRawStream[] = [];
  for (const [ref, original] of context.enumerateIndirectObjects()) {
    if (encryptRef instanceof lib.PDFRef && ref === encryptRef) continue;
    let object: PDFObject = original;
    // An object stream whose encrypted content could not be parsed was kept as raw bytes.
    if (object instanceof PDFInvalidObject) {
      const data = (object as unknown as { data: Uint8Array }).data;
      try {
        object = PDFObjectParser.forBytes(data, context).parseObject();
      } catch {
        continue;
      }
    }
    if (object instanceof lib.PDFRawStream) {
      const type = object.dict.get(PDFName.of('Type'));
      if (type === PDFName.of('XRef')) continue;
      walk(object.dict, ref, 0);
      const keepClear = type === PDFName.of('Metadata') && !security.encryptMetadata;
      const contents = keepClear
        ? object.contents
        : decryptObjectData(security, fileKey, security.streamMethod, ref.objectNumber, ref.generationNumber, object.contents);
      const stream = lib.PDFRawStream.of(object.dict, contents);
      if (type === PDFName.of('ObjStm')) objectStreams.push(stream);
      else context.assign(ref, stream);
    } else {
      const plain = decryptString(object, ref);
      if (plain) context.assign(ref, plain);
      else walk(object, ref, 0);
      if (object !== original) context.assign(ref, object);
    }
  }
  // Objects inside an object stream are not encrypted one by one: the stream was.
  for (const stream of objectStreams) await PDFObjectStreamParser.forStream(stream).parseIntoContext();
  delete (context.trailerInfo as { Encrypt?: unknown }).Encrypt;
  if (encryptRef instanceof lib.PDFRef) context.delete(encryptRef);
  (doc as unknown as { isEncrypted: boolean }).isEncrypted = false;
}
