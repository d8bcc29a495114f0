import { formatSize } from './format';

/**
 * The one list of error codes, with their HTTP status (for the companion API) and the plain
 * French sentence shown to the person. Server answers, the assistant API, the document engine
 * and the UI all take their codes and words from here.
 *
 * `status` is set for codes the HTTP API can answer (api-contract.md section 3); codes without
 * a status are raised on the desktop side only (engine, network, local queue).
 */
export const ERRORS = {
  // --- HTTP API (api-contract.md section 3) ---
  validation_failed: {
    status: 400,
    message: 'La demande est incomplète ou mal formée. Réessayez ; si le problème continue, contactez le centre de gestion.',
  },
  digest_missing: {
    status: 400,
    message: "L'empreinte du fichier manque : le fichier n'a pas été enregistré. Renvoyez-le.",
  },
  digest_mismatch: {
    status: 400,
    message: "Le fichier a été abîmé pendant l'envoi : il n'a pas été enregistré. Renvoyez-le.",
  },
  review_reason_invalid: {
    status: 400,
    message:
      'Indiquez le motif de la correction demandée (500 caractères au plus) : le candidat le lira tel quel.',
  },
  invalid_credentials: {
    status: 401,
    message:
      "Le numéro de dossier ou le mot de passe est incorrect. Vérifiez-les sur le courriel reçu lors de votre préinscription.",
  },
  unauthenticated: {
    status: 401,
    message: 'Votre session a expiré. Reconnectez-vous avec votre numéro de dossier et votre mot de passe.',
  },
  forbidden: {
    status: 403,
    message: "Cette action est réservée au personnel du centre de gestion.",
  },
  deadline_passed: {
    status: 403,
    message: "La date limite est dépassée : le dossier ne peut plus être modifié ni clôturé.",
  },
  not_found: {
    status: 404,
    message: "Ce document ou cette page n'existe pas.",
  },
  range_not_satisfiable: {
    status: 416,
    message: "Cette partie du fichier n'existe pas : le téléchargement doit reprendre du début.",
  },
  piece_not_found: {
    status: 404,
    message: "Cette pièce n'est pas demandée pour ce concours.",
  },
  not_closed: {
    status: 404,
    message: "Le dossier n'est pas encore clôturé : il n'y a pas encore d'accusé de clôture.",
  },
  piece_full: {
    status: 409,
    message:
      'Cette pièce contient déjà un document. Pour le changer, utilisez « Remplacer » (bouton « Voir, remplacer ou supprimer » à côté du document).',
  },
  replaced_not_found: {
    status: 404,
    message:
      "Le document à remplacer n'existe plus (il a peut-être déjà été supprimé ou remplacé) : rien n'a été changé. Rechargez la liste de vos pièces.",
  },
  already_stored: {
    status: 409,
    message:
      "Ce fichier est déjà enregistré pour cette pièce : rien n'a été remplacé. Choisissez le nouveau document.",
  },
  replaced_other_piece: {
    status: 409,
    message: "Le document à remplacer appartient à une autre pièce : rien n'a été changé.",
  },
  dossier_closed: {
    status: 409,
    message: "Votre dossier est clôturé : il ne peut plus être modifié, sauf pour les pièces qui peuvent être envoyées après la clôture.",
  },
  download_ticket_invalid: {
    status: 401,
    message:
      "Ce lien de téléchargement a déjà servi ou n'existe pas : chaque lien ne sert qu'une fois. Revenez à l'instruction des dossiers et appuyez à nouveau sur le bouton « Télécharger ».",
  },
  download_ticket_expired: {
    status: 401,
    message:
      "Ce lien de téléchargement a expiré : il n'est valable qu'une minute. Revenez à l'instruction des dossiers et appuyez à nouveau sur le bouton « Télécharger ».",
  },
  download_ticket_mismatch: {
    status: 403,
    message:
      "Ce lien de téléchargement a été donné pour un autre téléchargement. Revenez à l'instruction des dossiers et appuyez sur le bouton « Télécharger » de ce que vous voulez.",
  },
  review_outdated: {
    status: 409,
    message:
      "Ce dossier a changé depuis que vous l'avez ouvert : rechargez-le avant de décider.",
  },
  file_too_large: {
    status: 413,
    message: 'Le fichier est trop volumineux pour cette pièce.',
  },
  file_type_not_allowed: {
    status: 415,
    message:
      "Ce fichier n'est pas un document accepté. Seuls les fichiers PDF et les images (photos, scans) sont acceptés.",
  },
  file_corrupt: {
    status: 422,
    message:
      "Le fichier est abîmé ou incomplet et ne peut pas être lu. Ouvrez-le sur votre ordinateur pour vérifier, puis enregistrez-le ou scannez-le à nouveau.",
  },
  pdf_encrypted: {
    status: 422,
    message:
      "Ce PDF est protégé par un mot de passe. Ouvrez-le avec son mot de passe, puis choisissez « Imprimer » et l'imprimante « Enregistrer au format PDF » (ou « Microsoft Print to PDF ») : la copie obtenue n'a plus de mot de passe.",
  },
  pdf_active_content: {
    status: 422,
    message:
      'Ce PDF contient des éléments actifs (programme, fichier joint) qui ne sont pas acceptés. Ajoutez-le avec l\'assistant, qui les retire automatiquement.',
  },
  pdf_too_complex: {
    status: 422,
    message:
      "Ce PDF est trop complexe pour être vérifié. Ouvrez-le, choisissez « Imprimer » et l'imprimante « Enregistrer au format PDF » (ou « Microsoft Print to PDF »), puis ajoutez la copie obtenue.",
  },
  pieces_missing: {
    status: 422,
    message: 'Il manque des pièces obligatoires : ajoutez-les avant de clôturer votre inscription.',
  },
  too_many_attempts: {
    status: 429,
    message: 'Trop de tentatives de connexion pour ce dossier. Patientez un moment avant de réessayer.',
  },
  internal_error: {
    status: 500,
    message: "Une erreur inattendue s'est produite. Réessayez dans un instant ; rien de ce qui a été enregistré n'est perdu.",
  },
  overloaded: {
    status: 503,
    message: 'Le service est très sollicité en ce moment. Nouvel essai automatique dans quelques secondes.',
  },

  // The framework's own refusals, before any route (api-contract.md 5.6).
  request_timeout: {
    status: 408,
    message:
      "La demande a mis trop de temps à arriver au serveur : rien n'a été enregistré. Vérifiez votre connexion à Internet, puis réessayez.",
  },
  headers_too_large: {
    status: 431,
    message:
      "La demande envoyée au serveur est trop longue et n'a pas été lue. Fermez puis rouvrez l'application ; si le problème continue, contactez le centre de gestion.",
  },

  // --- Desktop side: document engine, network, local queue ---
  file_empty: {
    message: 'Le fichier est vide (0 octet). Choisissez le bon fichier ou enregistrez-le à nouveau.',
  },
  image_too_large: {
    message:
      "L'image est trop grande pour être traitée. Reprenez la photo ou scannez le document en résolution normale (300 ppp).",
  },
  file_unreadable: {
    message: "Le fichier n'a pas pu être lu sur votre ordinateur. Vérifiez qu'il n'est pas ouvert dans un autre programme, puis réessayez.",
  },
  network_unavailable: {
    message:
      "Le serveur du centre de gestion ne répond pas. Vérifiez votre connexion à Internet ; vos documents préparés sont gardés et seront envoyés dès que possible.",
  },
  unexpected_answer: {
    message:
      "Le serveur a répondu de façon inattendue : l'opération n'a pas abouti. Réessayez dans un instant ; si vous êtes sur un réseau public (hôtel, gare), ouvrez d'abord une page internet pour vous y connecter. Si le problème continue, contactez le centre de gestion.",
  },
  not_logged_in: {
    message: 'Connectez-vous avec votre numéro de dossier et votre mot de passe.',
  },
  prepared_not_found: {
    message: "Ce document préparé n'existe plus. Ajoutez à nouveau votre fichier.",
  },
  jpeg_not_possible: {
    message:
      "Ce document a plusieurs pages : il ne peut pas devenir une seule image JPEG. Envoyez-le en PDF, ou gardez une seule page.",
  },
  upload_queued: {
    message:
      "Le document n'est pas encore envoyé : le serveur du centre de gestion ne répond pas pour l'instant. Il est gardé sur cet ordinateur et sera envoyé automatiquement dès que possible, même si vous fermez l'application.",
  },
  uploads_pending: {
    message:
      "Des documents ne sont pas encore arrivés au centre de gestion : ils sont gardés sur cet ordinateur et partiront dès que la connexion revient. Vous pourrez clôturer votre inscription une fois qu'ils seront tous envoyés.",
  },
  close_needs_connection: {
    message:
      "La clôture demande une connexion à Internet : c'est le serveur du centre de gestion qui l'enregistre. Dès que la connexion revient, vous pourrez clôturer votre inscription.",
  },
  upload_in_progress: {
    message: "Ce document est en attente d'envoi : il ne peut pas être retiré tant que l'envoi n'est pas terminé.",
  },
  pdf_dynamic_form: {
    message:
      "Ce PDF est un formulaire « dynamique » (Adobe LiveCycle) : seul Adobe Acrobat Reader sait l'afficher, les autres programmes ne montrent qu'une page « Veuillez patienter ». Ouvrez-le dans Adobe Acrobat Reader, remplissez-le, puis choisissez « Imprimer » et l'imprimante « Microsoft Print to PDF » (ou « Enregistrer au format PDF ») : ajoutez la copie obtenue.",
  },
  pdf_form_not_flattened: {
    message:
      "Les champs remplis de ce formulaire PDF n'ont pas pu être intégrés à la page. Ouvrez-le dans votre lecteur de PDF, vérifiez vos réponses, puis choisissez « Imprimer » et l'imprimante « Microsoft Print to PDF » (ou « Enregistrer au format PDF ») : ajoutez la copie obtenue.",
  },
  document_too_complex: {
    message:
      "Ce fichier est trop lourd pour être préparé sur cet ordinateur : son traitement a été arrêté. Enregistrez-le ou scannez-le à nouveau en résolution normale (300 ppp), puis réessayez.",
  },

  // --- Desktop side: the app's own updates ---
  update_not_ready: {
    message: "Aucune mise à jour de l'application n'est prête à être installée.",
  },
  update_waits_for_work: {
    message:
      "Un document est en cours d'envoi ou le dossier en cours de clôture : la mise à jour attendra la fin. Réessayez dans un instant, ou elle s'installera à la fermeture de l'application.",
  },

  // --- Desktop side: counter mode (help desk) ---
  counter_mode_off: {
    message: "Le mode guichet n'est pas activé sur cet ordinateur.",
  },
  staff_code_required: {
    message:
      "Le mode guichet ne s'active ou ne se désactive qu'avec l'identifiant d'un agent du centre de gestion, dans « Réglages du guichet ».",
  },
  counter_settings_need_staff: {
    message:
      "Sur un ordinateur en mode guichet, les réglages ne se changent qu'après la connexion d'un agent du centre de gestion (« Consulter un dossier (agent) »).",
  },
  invalid_staff_credentials: {
    message: "L'identifiant ou le mot de passe de l'agent est incorrect.",
  },
  staff_not_logged_in: {
    message: "Connectez-vous avec votre identifiant d'agent pour consulter un dossier.",
  },
  dossier_not_found: {
    message: "Aucun dossier de vos concours ne porte ce numéro. Vérifiez le numéro sur le courriel du candidat.",
  },
  scan_folder_unavailable: {
    message:
      "Le dossier du scanner est introuvable. Vérifiez son emplacement dans les réglages du guichet, ou que le scanner est bien branché.",
  },
  scan_not_found: {
    message: "Ce scan n'est plus dans le dossier du scanner. Scannez à nouveau le document.",
  },
  wipe_incomplete: {
    message:
      "Certains fichiers du candidat précédent n'ont pas pu être effacés. Fermez les autres programmes, puis appuyez à nouveau sur « Nouveau candidat ».",
  },
} as const satisfies Record<string, { status?: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/**
 * The words around a refusal when a browser opens a back office download link by hand (used,
 * expired): the page's title and its way back. The sentence itself is the code's message.
 */
export const DOWNLOAD_REFUSED_PAGE = {
  title: 'Téléchargement impossible',
  back: "Revenir à l'instruction des dossiers",
} as const;

/** The shape every error takes when it crosses a boundary (IPC, bridge, HTTP body fields). */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/**
 * Errors a person cannot put right on their own (a fault of the app, the server or this
 * computer): where one is shown, the screen offers "Copier le rapport pour l'assistance".
 */
export const HELP_DESK_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'internal_error',
  'unexpected_answer',
  'validation_failed',
  'forbidden',
  'document_too_complex',
  'wipe_incomplete',
  'scan_folder_unavailable',
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value);
}

export function statusOf(code: ErrorCode): number {
  const entry: { status?: number; message: string } = ERRORS[code];
  return entry.status ?? 500;
}

/**
 * An error that carries a stable code. `message` defaults to the French sentence of the code;
 * a more precise French sentence may be given (for example with the size limit in Mo).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, extra?: Record<string, unknown>) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.extra = extra;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** Any thrown value as an ErrorInfo; unknown errors never leak their text. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AppError) return error.toInfo();
  return { code: 'internal_error', message: ERRORS.internal_error.message };
}

/**
 * More precise French sentences the document engine gives with an existing code (the code
 * stays the stable part; these only tell the person the fix that fits their file).
 */
export const ENGINE_DETAILS = {
  tooLargeEvenCompressed: (maxBytes: number): string =>
    `Même réduit au minimum lisible, le document dépasse la taille permise pour cette pièce (${formatSize(maxBytes)}). Envoyez moins de pages à la fois, ou scannez-le en noir et blanc à 200 ppp.`,
  officeDocument:
    "C'est un document de traitement de texte (Word, OpenOffice) : ouvrez-le, choisissez « Enregistrer sous » puis le type PDF, et ajoutez le PDF obtenu.",
  archive:
    "C'est un dossier compressé (zip) : ouvrez-le, puis ajoutez un par un les documents qu'il contient.",
  vectorImage:
    "Ce type d'image (SVG) n'est pas accepté : faites une capture d'écran ou imprimez-la en PDF, puis ajoutez le résultat.",
  program: "Ce fichier est un programme, pas un document : il ne peut pas être envoyé.",
  pdfRestricted:
    "Ce PDF est protégé contre la modification : il ne peut être ni réduit, ni combiné, ni modifié. Ouvrez-le, choisissez « Imprimer » puis l'imprimante « Enregistrer au format PDF » (ou « Microsoft Print to PDF »), et ajoutez la copie obtenue.",
  imageTooLargeDecoded: (megapixels: number): string =>
    `Cette photo est trop grande (${Math.round(megapixels)} millions de pixels) pour être préparée. Réglez l'appareil photo sur une résolution normale (12 millions de pixels) ou envoyez-vous la photo en JPEG, puis réessayez.`,
} as const;

/**
 * Quality warnings on a photographed page (api-contract.md section 5.1): stable codes, each
 * with the plain-French fix. A warning never blocks: the person decides.
 */
export const SCAN_CHECKS = {
  blurred: 'La photo est floue : reprenez-la en tenant le téléphone immobile, bien éclairée.',
  too_dark: "La photo est trop sombre : reprenez-la près d'une fenêtre ou sous une lampe, sans flash.",
  glare: 'Un reflet cache une partie de la page : reprenez la photo en inclinant un peu le téléphone, sans flash.',
  cut_off: 'Un coin de la feuille est hors de la photo : reculez un peu pour que la feuille entière soit visible.',
  too_small:
    "La feuille est trop petite sur la photo pour être lisible : rapprochez-vous pour qu'elle remplisse presque toute la photo.",
  blank_page: 'Cette page semble vide : vérifiez que vous avez photographié le bon côté de la feuille.',
  no_document_found:
    "Aucune feuille n'a été trouvée sur cette photo : posez le document à plat sur une table sombre et reprenez la photo de face. Vous pouvez aussi placer les coins vous-même.",
} as const;

export type ScanCheckCode = keyof typeof SCAN_CHECKS;
