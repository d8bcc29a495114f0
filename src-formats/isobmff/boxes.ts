/**
 * HEIC and AVIF live in ISO-BMFF boxes. A file cut short (an interrupted transfer from a
 * phone) has a last box that claims more bytes than there are; decoders may still show part
 * of it, so the cut is caught here.
 */
export function isobmffIsWhole(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let boxes = 0;
  while (offset + 8 <= bytes.length) {
    let size = view.getUint32(offset);
    if (size === 1) {
      if (offset + 16 > bytes.length) return false;
      const big = view.getBigUint64(offset + 8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) return false;
      size = Number(big);
    } else if (size === 0) {
      size = bytes.length - offset;
    }
    if (size < 8) return false;
    offset += size;
    boxes += 1;
  }
  return boxes > 0 && offset === bytes.length;
}
