import { useRef } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import type { PagePreview, PreparedPage } from '../../src-shared/assistant-api';
import { checksOf, isPhoto, isSideways, pageKey, type ArrangedPage } from '../page-arrangement';
import { PageChecks } from './PageChecks';

type Edit =
  | { kind: 'rotate'; by: 90 | -90 }
  | { kind: 'move'; by: -1 | 1 }
  | { kind: 'remove' }
  | { kind: 'bw'; bw: boolean };

/** What a photo's page offers beyond turning and moving: its corners, its warnings, another photo. */
export interface PhotoActions {
  /** The prepared document's pages (warnings as they now are, flattened thumbnails). */
  report: readonly PreparedPage[] | undefined;
  /** Thumbnails of pages as sent, flattened and cropped, by page key. */
  sentThumbnails: Map<string, string>;
  /** Pages whose warnings the person chose to send anyway. */
  acknowledged: ReadonlySet<string>;
  onRecrop: (index: number) => void;
  onRetake: (index: number, file: File) => void;
  onAcknowledge: (index: number) => void;
}

/**
 * The pages exactly as they will be sent, in order and turned as asked, each with its own
 * buttons. After a move, the focus follows the page, so keyboard users can move it again.
 */
export function PageEditor({
  pages,
  previews,
  thumbnails,
  fileNames,
  disabled,
  onEdit,
  photo,
}: {
  pages: readonly ArrangedPage[];
  previews: readonly PagePreview[];
  thumbnails: Map<string, string>;
  fileNames: readonly string[];
  disabled: boolean;
  onEdit: (index: number, edit: Edit) => void;
  photo: PhotoActions;
}) {
  const list = useRef<HTMLOListElement>(null);

  function edit(index: number, change: Edit, buttonClass: string) {
    onEdit(index, change);
    if (change.kind === 'bw') return;
    const target = change.kind === 'move' ? index + change.by : change.kind === 'remove' ? Math.min(index, pages.length - 2) : index;
    // Once React has drawn the new order, the focus stays with the page just changed: on the same
    // button, or, when a page reaches an end, on the button that moves it back.
    const wanted = change.kind === 'remove' ? ['page-remove', 'page-rotate-right'] : [buttonClass, 'page-earlier', 'page-later'];
    requestAnimationFrame(() => {
      const item = list.current?.children[target];
      const button = wanted
        .map((c) => item?.querySelector<HTMLButtonElement>(`.${c}`))
        .find((b) => b && !b.disabled);
      button?.focus();
    });
  }

  const total = pages.length;
  return (
    <ol className="page-grid" ref={list}>
      {pages.map((p, index) => {
        const preview = previews.find((v) => v.file === p.file && v.page === p.page);
        const fileName = fileNames[p.file] ?? '';
        const n = index + 1;
        const sideways = isSideways(p.rotate);
        const sent = photo.sentThumbnails.get(pageKey(p));
        const flat = sent ? photo.report?.find((r) => r.source.file === p.file && r.source.page === p.page)?.flattened : undefined;
        const size = flat ?? preview;
        const portrait = size ? (sideways ? size.width > size.height : size.height >= size.width) : true;
        const photoPage = isPhoto(preview);
        const checks = photoPage ? checksOf(p, preview, photo.report) : [];
        const checksId = `page-${pageKey(p).replace(':', '-')}-avertissements`;
        const how = flat ? ', recadrée et redressée' : p.corners === null ? ', photo entière' : '';
        return (
          <li key={pageKey(p)} className={`page-card${checks.length > 0 ? ' has-checks' : ''}`}>
            <div className={`thumb ${portrait ? 'portrait' : 'landscape'}`}>
              <img
                src={sent ?? thumbnails.get(pageKey(p))}
                alt={`Page ${n} sur ${total}${how}${p.rotate ? `, tournée de ${p.rotate} degrés` : ''} (${fileName}${
                  previews.filter((v) => v.file === p.file).length > 1 ? `, page ${p.page + 1}` : ''
                })`}
                aria-describedby={checks.length > 0 ? checksId : undefined}
                className={`rot-${p.rotate}`}
              />
            </div>
            <p className="page-label" aria-hidden="true">
              Page {n}
            </p>
            {checks.length > 0 && (
              <PageChecks
                id={checksId}
                pageNumber={n}
                checks={checks}
                acknowledged={photo.acknowledged.has(pageKey(p))}
                disabled={disabled}
                onRetake={(file) => photo.onRetake(index, file)}
                onAcknowledge={() => photo.onAcknowledge(index)}
              />
            )}
            {photoPage && (
              <div className="page-photo-tools">
                <Button
                  className="button small page-recrop"
                  aria-label={`Recadrer la page ${n}`}
                  isDisabled={disabled}
                  onPress={() => photo.onRecrop(index)}
                >
                  Recadrer
                </Button>
                {!flat?.card && (
                  <Checkbox
                    className="check page-bw"
                    isSelected={p.bw === true}
                    isDisabled={disabled}
                    onChange={(bw) => onEdit(index, { kind: 'bw', bw })}
                    aria-label={`Noir et blanc (pour un texte), page ${n}`}
                  >
                    <span className="box" aria-hidden="true">
                      {p.bw ? '✓' : ''}
                    </span>
                    <span aria-hidden="true">Noir et blanc (pour un texte)</span>
                  </Checkbox>
                )}
              </div>
            )}
            <div className="page-tools">
              <Button
                className="tool page-rotate-left"
                aria-label={`Tourner la page ${n} vers la gauche`}
                isDisabled={disabled}
                onPress={() => edit(index, { kind: 'rotate', by: -90 }, 'page-rotate-left')}
              >
                <span aria-hidden="true">↺</span>
              </Button>
              <Button
                className="tool page-rotate-right"
                aria-label={`Tourner la page ${n} vers la droite`}
                isDisabled={disabled}
                onPress={() => edit(index, { kind: 'rotate', by: 90 }, 'page-rotate-right')}
              >
                <span aria-hidden="true">↻</span>
              </Button>
              <Button
                className="tool page-earlier"
                aria-label={`Placer la page ${n} avant`}
                isDisabled={disabled || index === 0}
                onPress={() => edit(index, { kind: 'move', by: -1 }, 'page-earlier')}
              >
                <span aria-hidden="true">←</span>
              </Button>
              <Button
                className="tool page-later"
                aria-label={`Placer la page ${n} après`}
                isDisabled={disabled || index === total - 1}
                onPress={() => edit(index, { kind: 'move', by: 1 }, 'page-later')}
              >
                <span aria-hidden="true">→</span>
              </Button>
              <Button
                className="tool danger page-remove wide-tool"
                aria-label={`Retirer la page ${n}`}
                isDisabled={disabled || total <= 1}
                onPress={() => edit(index, { kind: 'remove' }, 'page-remove')}
              >
                <span aria-hidden="true">✕</span> Retirer
              </Button>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export type { Edit as PageEdit };
