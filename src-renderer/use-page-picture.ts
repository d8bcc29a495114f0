import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../src-shared/errors';
import { assistant } from './assistant-client';

/** The corner editor's picture: large enough to place corners on a laptop screen, small enough to come quickly. */
export const EDITOR_PICTURE_LONG_SIDE = 1600;

export type PagePictureState = { url: string; width: number; height: number } | { error: ErrorInfo } | null;

/** A larger picture of one photo page, asked of the assistant; its object URL is released when it is no longer shown. */
export function usePagePicture(sourceId: string, file: number, page: number): PagePictureState {
  const [state, setState] = useState<PagePictureState>(null);
  useEffect(() => {
    let url: string | undefined;
    let live = true;
    setState(null);
    void assistant.pagePicture({ sourceId, file, page, longSide: EDITOR_PICTURE_LONG_SIDE }).then((result) => {
      if (!live) return;
      if (!result.ok) {
        setState({ error: result.error });
        return;
      }
      url = URL.createObjectURL(new Blob([result.value.picture as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
      setState({ url, width: result.value.width, height: result.value.height });
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [sourceId, file, page]);
  return state;
}
