import { useRef } from 'react';
import { Button } from 'react-aria-components';
import type { PagePreview } from '../../src-shared/assistant-api';
import { isSideways, pageKey, type ArrangedPage } from '../page-arrangement';

type Edit = { kind: 'rotate'; by: 90 | -90 } | { kind: 'move'; by: -1 | 1 } | { kind: 'remove' };

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
}: {
  pages: readonly ArrangedPage[];
  previews: readonly PagePreview[];
  thumbnails: Map<string, string>;
  fileNames: readonly string[];
  disabled: boolean;
  onEdit: (index: number, edit: Edit) => void;
}) {
  const list = useRef<HTMLOListElement>(null);

  function edit(index: number, change: Edit, buttonClass: string) {
    onEdit(index, change);
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
        const portrait = preview ? (sideways ? preview.width > preview.height : preview.height >= preview.width) : true;
        return (
          <li key={pageKey(p)} className="page-card">
            <div className={`thumb ${portrait ? 'portrait' : 'landscape'}`}>
              <img
                src={thumbnails.get(pageKey(p))}
                alt={`Page ${n} sur ${total}${p.rotate ? `, tournée de ${p.rotate} degrés` : ''} (${fileName}${
                  previews.filter((v) => v.file === p.file).length > 1 ? `, page ${p.page + 1}` : ''
                })`}
                className={`rot-${p.rotate}`}
              />
            </div>
            <p className="page-label" aria-hidden="true">
              Page {n}
            </p>
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
