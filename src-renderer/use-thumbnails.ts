import { useEffect, useMemo } from 'react';
import { pageKey } from './page-arrangement';

/** Object URLs for the pages' JPEG thumbnails, released when the pages change or the screen closes. */
export function useThumbnails(pages: readonly { file: number; page: number; thumbnail: Uint8Array }[]): Map<string, string> {
  const urls = useMemo(
    () =>
      new Map(
        pages.map((p) => [
          pageKey(p),
          URL.createObjectURL(new Blob([p.thumbnail as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })),
        ]),
      ),
    [pages],
  );
  useEffect(() => () => urls.forEach((url) => URL.revokeObjectURL(url)), [urls]);
  return urls;
}
