/** The plain French sentence that tells the person what was done to their file. */
import { formatSize } from '../src-shared/format';

export interface Facts {
  output: 'jpeg' | 'pdf';
  bytes: number;
  pages: number;
  keptAsIs?: boolean;
  metadataRemoved?: boolean;
  turnedUpright?: boolean;
  converted?: boolean;
  coloursConverted?: boolean;
  reduced?: boolean;
  merged?: boolean;
  /** A PDF page drawn as a picture. */
  fromPdf?: boolean;
  /** Pages made from pictures (fitted to A4); PDF pages keep their own size. */
  fromPictures?: boolean;
  /** Some pages come from PDFs (kept at their size). */
  fromPdfs?: boolean;
  activeContentRemoved?: boolean;
  /** A form's answers drawn into its pages, the fields removed. */
  formFlattened?: boolean;
  imagesRecompressed?: boolean;
  pagesEdited?: boolean;
  repaired?: boolean;
  /** Photographed pages cropped to the document, flattened and their light evened. */
  flattened?: boolean;
  /** Photographed pages made black and white (the person's choice). */
  blackAndWhite?: boolean;
}

function sentence(parts: string[]): string {
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(', ')} et ${parts[parts.length - 1]}`;
}

export function summarise(f: Facts): string {
  const size = `(${formatSize(f.bytes)})`;
  if (f.output === 'jpeg') {
    if (f.keptAsIs) {
      return f.metadataRemoved
        ? `Photo déjà conforme, gardée telle quelle ; seules les informations cachées (position GPS, appareil) ont été retirées ${size}.`
        : `Photo déjà conforme, gardée telle quelle ${size}.`;
    }
    if (f.fromPdf) return `Page du PDF convertie en image JPEG${f.turnedUpright ? ', tournée comme demandé' : ''} ${size}.`;
    const done: string[] = [];
    if (f.flattened) done.push('page recadrée, redressée et éclaircie comme un scan');
    if (f.blackAndWhite) done.push('mise en noir et blanc');
    if (f.turnedUpright) done.push("remise à l'endroit");
    if (f.coloursConverted) done.push("couleurs adaptées à l'écran");
    if (f.reduced) done.push('taille réduite à une résolution lisible');
    return done.length ? `Photo convertie en JPEG : ${sentence(done)} ${size}.` : `Photo convertie en JPEG ${size}.`;
  }
  if (f.keptAsIs) return `PDF déjà conforme, gardé tel quel ${size}.`;
  const pages = f.pages === 1 ? '1 page' : `${f.pages} pages`;
  const done: string[] = [];
  if (f.flattened) done.push('pages photographiées recadrées et redressées comme un scan');
  if (f.blackAndWhite) done.push('photos mises en noir et blanc');
  if (f.fromPictures && f.fromPdfs) done.push('photos mises au format A4');
  if (f.formFlattened) done.push('réponses du formulaire intégrées aux pages');
  if (f.activeContentRemoved) done.push('éléments actifs (programme, fichier joint) retirés');
  if (f.repaired) done.push('fichier réparé');
  if (f.pagesEdited) done.push('pages tournées ou réordonnées comme demandé');
  if (f.imagesRecompressed || f.reduced) done.push('images allégées pour respecter la taille permise');
  const a4 = f.fromPictures && !f.fromPdfs ? ' au format A4' : '';
  const head = f.merged
    ? f.pages === 1
      ? `Document mis en PDF${a4}`
      : `${pages} réunies en un seul PDF${a4}`
    : `PDF de ${pages} préparé`;
  return done.length ? `${head} : ${sentence(done)} ${size}.` : `${head} ${size}.`;
}
