/**
 * The numbers that bound the engine's work. Pixel limits are checked from headers before any
 * decoder allocates, so a decompression bomb is refused instead of eating the memory.
 */

/** sharp's own default; a 12 MP phone photo is 12e6, a 600 dpi A3 scan about 70e6. */
export const MAX_INPUT_PIXELS = 268_402_689;

/**
 * HEIC goes through a WebAssembly decoder that cannot shrink on load: the whole picture is
 * decoded in RGBA (4 bytes a pixel, twice over while it is copied out). Up to 100 Mpx that
 * stays under about 1 GB; beyond, a grid picture is decoded tile by tile (heic-grid.ts) and
 * anything else is refused.
 */
export const MAX_HEIC_PIXELS = 100_000_000;

/** A BMP is decoded whole in JavaScript memory. */
export const MAX_BMP_PIXELS = 100_000_000;

/** Pages one request may produce: beyond that it is not one document any more. */
export const MAX_PAGES = 500;

/** A4 in PDF points (1/72 inch). */
export const A4_POINTS = { short: 595.28, long: 841.89 } as const;
export const A4_INCHES = { short: 8.27, long: 11.69 } as const;

/** Thumbnails: long side in pixels. */
export const THUMBNAIL_LONG_SIDE = 256;
