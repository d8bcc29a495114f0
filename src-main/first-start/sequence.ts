/**
 * What `npm start` does before the desktop app can open: find the Electron binary, or fetch it
 * once through an installer, with progress a person can follow, and give up within seconds
 * (not minutes) when there is no connection, naming the browser host instead. The installer is
 * injected: the real one downloads ~100 MB, the tests play success, failure and a silent network.
 */

/** How much of the binary has arrived (`total` null when the server did not say). */
export interface InstallProgress {
  transferred: number;
  total: number | null;
}

export interface ElectronInstaller {
  /** Fetches and unpacks the binary; stops (rejecting) when `signal` aborts. */
  install(options: { onProgress: (progress: InstallProgress) => void; signal: AbortSignal }): Promise<void>;
}

export type FailureReason = 'skipped' | 'offline' | 'refused' | 'failed';
export type FirstStartOutcome = { binary: string } | { binary: null; reason: FailureReason };

export interface FirstStartOptions {
  /** Where the binary is, or null when it is missing. */
  locate: () => string | null;
  installer: ElectronInstaller;
  /** One line for the person (progress and the final sentence). */
  say: (line: string) => void;
  /** ELECTRON_SKIP_BINARY_DOWNLOAD: the machine's owner said never to download it. */
  skipDownload?: boolean;
  /** No first byte within this: taken as no connection. */
  connectTimeoutMs?: number;
  /** Nothing more for this long in the middle of the download: cut (a slow but moving one goes on). */
  stallTimeoutMs?: number;
}

export const CONNECT_TIMEOUT_MS = 10_000;
export const STALL_TIMEOUT_MS = 30_000;

const INSTEAD = "lancez plutôt « npm run browser » et ouvrez dans votre navigateur l'adresse qu'il affiche.";

/** The one sentence said when the app cannot open, per reason. */
export function cannotOpen(reason: FailureReason, detail?: string): string {
  const why = {
    skipped: "Electron n'est pas installé sur cet ordinateur et son téléchargement est désactivé",
    offline: `Electron n'a pas pu être téléchargé, faute de connexion à Internet${detail ? ` (${detail})` : ''}`,
    refused: `le téléchargement d'Electron a été refusé${detail ? ` (${detail})` : ''}`,
    failed: `l'installation d'Electron a échoué${detail ? ` (${detail})` : ''}`,
  }[reason];
  return `L'application de bureau ne peut pas s'ouvrir : ${why} ; ${INSTEAD}`;
}

const MB = 1024 * 1024;

function progressLine({ transferred, total }: InstallProgress): string {
  const got = Math.round(transferred / MB);
  if (!total) return `Téléchargement d'Electron : ${got} Mo reçus…`;
  const percent = Math.min(100, Math.floor((transferred / total) * 100));
  return `Téléchargement d'Electron : ${percent} % (${got} Mo sur ${Math.round(total / MB)} Mo)…`;
}

/** Why an installer failed, as a reason and a short detail (never a stack). */
export function classifyFailure(error: unknown): { reason: FailureReason; detail?: string } {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string }; response?: { status?: number } };
  const code = err?.cause?.code ?? err?.code;
  const offlineCodes = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH'];
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError' || (code && offlineCodes.includes(code)))
    return { reason: 'offline' };
  if (err?.name === 'HTTPError' || err?.response?.status) return { reason: 'refused', detail: `réponse ${err.response?.status ?? '?'}` };
  if (/checksum|sha256/i.test(err?.message ?? '')) return { reason: 'refused', detail: 'empreinte du fichier incorrecte' };
  return { reason: 'failed', detail: (err?.message ?? String(error)).split('\n')[0]!.slice(0, 200) };
}

export async function ensureElectron(options: FirstStartOptions): Promise<FirstStartOutcome> {
  const found = options.locate();
  if (found) return { binary: found };
  const fail = (reason: FailureReason, detail?: string): FirstStartOutcome => {
    options.say(cannotOpen(reason, detail));
    return { binary: null, reason };
  };
  if (options.skipDownload) return fail('skipped');

  options.say("Première ouverture : téléchargement de l'application de bureau (Electron, environ 100 Mo), une seule fois…");
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let waitedMs = 0;
  const watch = (ms: number) => {
    clearTimeout(timer);
    waitedMs = ms;
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
  };
  let lastTenth = -1;
  watch(options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  const onProgress = (progress: InstallProgress) => {
    watch(options.stallTimeoutMs ?? STALL_TIMEOUT_MS);
    // A line every tenth (or every 10 Mo when the size is unknown): readable, and fine for a screen reader.
    const tenth = progress.total ? Math.floor((progress.transferred / progress.total) * 10) : Math.floor(progress.transferred / (10 * MB));
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      options.say(progressLine(progress));
    }
  };
  // The installer may not stop at once on abort: the timeout answers regardless.
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' }))),
  );
  try {
    await Promise.race([options.installer.install({ onProgress, signal: controller.signal }), aborted]);
  } catch (error) {
    if (timedOut) return fail('offline', `pas de réponse depuis ${Math.round(waitedMs / 1000)} s`);
    const { reason, detail } = classifyFailure(error);
    return fail(reason, detail);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  const installed = options.locate();
  if (!installed) return fail('failed', "le programme n'est pas là où l'installateur devait le mettre");
  options.say("Electron est installé : ouverture de l'application…");
  return { binary: installed };
}
