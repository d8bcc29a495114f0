import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { Button } from 'react-aria-components';
import type { Corners } from '../../src-shared/documents';
import { Alert } from '../Alert';
import {
  choiceOf,
  cornerName,
  describePosition,
  fromTurned,
  moveCorner,
  nudge,
  sameCorners,
  scalePoint,
  toTurned,
  turnedSize,
  wholePhoto,
  type Size,
  type Turn,
} from '../corner-geometry';
import { usePagePicture } from '../use-page-picture';

/**
 * "Recadrer": the photo as it was taken, the document's outline drawn over it, and four
 * round handles on its corners, moved with the mouse, a finger or the arrow keys. What is
 * outside the outline is darkened: that part will not be sent. "Recadrer automatiquement"
 * (the engine's corners) and "Garder la photo entière" apply at once, in one press.
 */
export function CornerEditor({
  pageNumber,
  photo,
  turn,
  source,
  thumbnail,
  detected,
  current,
  onApply,
  onCancel,
}: {
  pageNumber: number;
  /** The upright photo's size: the corners' pixels. */
  photo: Size;
  /** The person's turn of the page: the photo is shown as the page list shows it, corners named as seen. */
  turn: Turn;
  /** Which page of which inspected files: its larger picture is asked of the assistant. */
  source: { sourceId: string; file: number; page: number };
  /** Shown while the larger picture comes. */
  thumbnail: string | undefined;
  /** What the engine found (null: nothing). */
  detected: Corners | null;
  /** The page's choice so far (undefined: the engine's corners; null: the whole photo). */
  current: Corners | null | undefined;
  onApply: (choice: Corners | null | undefined) => void;
  onCancel: () => void;
}) {
  const picture = usePagePicture(source.sourceId, source.file, source.page);
  const whole = wholePhoto(photo);
  const [corners, setCorners] = useState<Corners>(() => (current === undefined ? (detected ?? whole) : (current ?? whole)));
  const heading = useRef<HTMLHeadingElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const dragging = useRef<number | null>(null);
  const headingId = `recadrer-${pageNumber}`;
  const helpId = `recadrer-aide-${pageNumber}`;

  useEffect(() => heading.current?.focus(), []);

  function pointTo(index: number, e: PointerEvent<HTMLDivElement>) {
    const box = stage.current?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) return;
    const seen = scalePoint([e.clientX - box.left, e.clientY - box.top], box, screen);
    setCorners((c) => moveCorner(c, index, fromTurned(seen, photo, turn), photo));
  }

  function onKey(index: number, e: KeyboardEvent<HTMLDivElement>) {
    const next = nudge(corners, index, e.key, e.shiftKey, photo, turn);
    if (!next) return;
    e.preventDefault();
    setCorners(next);
  }

  const src = picture && 'url' in picture ? picture.url : thumbnail;
  const isWhole = sameCorners(corners, whole);
  // Drawn on the photo as seen: turned like the page, handles in the order seen (top left first).
  const screen = turnedSize(photo, turn);
  const seen = corners.map((p) => toTurned(p, photo, turn));
  const outline = seen.map(([x, y]) => `${x},${y}`).join(' ');
  const order = [0, 1, 2, 3].sort((a, b) => ((a + turn / 90) % 4) - ((b + turn / 90) % 4));
  const sideways = turn === 90 || turn === 270;
  return (
    <section
      className="corner-editor"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        // Escape leaves the editor, not the whole "Ajouter un document" window.
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        Recadrer la page {pageNumber}
      </h3>
      <p>
        Placez les quatre ronds bleus sur les quatre coins de votre document. La partie assombrie ne sera pas envoyée ; la
        page sera redressée.
      </p>
      {!detected && (
        <p className="corner-note">
          Aucune feuille n'a été trouvée sur cette photo : le cadre entoure toute la photo. Placez les ronds sur les coins de
          la feuille.
        </p>
      )}
      <p id={helpId} className="muted">
        Au clavier : la touche Tab choisit un coin, les flèches le déplacent (avec la touche Maj, il va plus vite).
      </p>
      {picture && 'error' in picture && <Alert message={picture.error} />}
      <div className="corner-frame">
        <div
          className="corner-stage"
          ref={stage}
          style={{ aspectRatio: `${screen.width} / ${screen.height}`, width: `min(100%, ${(52 * screen.width) / screen.height}vh)` }}
        >
          {src && (
            <img
              src={src}
              alt={`Votre photo de la page ${pageNumber}, telle que prise`}
              draggable={false}
              className={turn ? 'turned' : undefined}
              // Turned about its centre: before the turn it has the photo's own proportions.
              style={
                turn
                  ? {
                      width: `${(100 * (sideways ? screen.height : screen.width)) / screen.width}%`,
                      height: `${(100 * (sideways ? screen.width : screen.height)) / screen.height}%`,
                      transform: `translate(-50%, -50%) rotate(${turn}deg)`,
                    }
                  : undefined
              }
            />
          )}
          <svg viewBox={`0 0 ${screen.width} ${screen.height}`} preserveAspectRatio="none" aria-hidden="true" className="corner-outline">
            <path
              d={`M0,0H${screen.width}V${screen.height}H0Z M${seen.map(([x, y]) => `${x},${y}`).join(' L')}Z`}
              fillRule="evenodd"
              className="corner-shade"
            />
            <polygon points={outline} className="corner-line-under" vectorEffect="non-scaling-stroke" />
            <polygon points={outline} className="corner-line" vectorEffect="non-scaling-stroke" />
          </svg>
          {order.map((index) => {
            const [x, y] = seen[index]!;
            return (
              <div
                key={index}
                role="slider"
                tabIndex={0}
                aria-label={cornerName(index, turn)}
                aria-describedby={helpId}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round((x / screen.width) * 100)}
                aria-valuetext={describePosition([x, y], screen)}
                className="corner-handle"
                style={{ left: `${(x / screen.width) * 100}%`, top: `${(y / screen.height) * 100}%` }}
                onKeyDown={(e) => onKey(index, e)}
                onPointerDown={(e) => {
                  e.preventDefault();
                  e.currentTarget.setPointerCapture(e.pointerId);
                  e.currentTarget.focus();
                  dragging.current = index;
                }}
                onPointerMove={(e) => {
                  if (dragging.current === index && e.currentTarget.hasPointerCapture(e.pointerId)) pointTo(index, e);
                }}
                onPointerUp={() => (dragging.current = null)}
                onPointerCancel={() => (dragging.current = null)}
              >
                <span className="corner-dot" aria-hidden="true" />
              </div>
            );
          })}
        </div>
      </div>
      <p className="corner-state" aria-hidden="true">
        {isWhole ? 'La photo sera envoyée entière.' : 'Seul le document dans le cadre sera envoyé, redressé.'}
      </p>
      <div className="actions">
        <Button className="button primary" onPress={() => onApply(choiceOf(corners, detected, photo))}>
          Valider ce cadrage
        </Button>
        {detected && (
          <Button className="button" onPress={() => onApply(undefined)}>
            Recadrer automatiquement
          </Button>
        )}
        <Button className="button" onPress={() => onApply(null)}>
          Garder la photo entière
        </Button>
        <Button className="button" onPress={onCancel}>
          Annuler le recadrage
        </Button>
      </div>
    </section>
  );
}
