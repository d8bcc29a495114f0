/**
 * The report a candidate copies for the help desk ("Copier le rapport pour l'assistance"):
 * what the computer runs and where its send queue stands, and the last warnings and errors
 * with their codes. Nothing about the person: no dossier number, name, token or file name.
 */
import type { LogLevel } from './log';

export interface SupportReport {
  /** ISO instant. */
  generatedAt: string;
  appVersion: string;
  os: { platform: string; release: string; arch: string };
  runtimes: { node: string; electron: string | null; chrome: string | null };
  counterMode: boolean;
  /** The send queue on this computer, by state (other dossiers: documents waiting for another login). */
  queue: { pending: number; sent: number; refused: number; pendingOtherDossiers: number };
  /** The last warnings and errors, oldest first. */
  recent: { at: string; level: LogLevel; event: string; code: string | null }[];
  /** All of the above as plain text, ready to paste into a message. */
  text: string;
}

const LEVEL_WORDS: Record<LogLevel, string> = { info: 'information', warn: 'avertissement', error: 'erreur' };

/** The report as text, in French, for a person to paste into a message. */
export function supportReportText(report: Omit<SupportReport, 'text'>): string {
  const { os, runtimes, queue } = report;
  const lines = [
    "Rapport pour l'assistance — Assistant Dépôt",
    `Créé le : ${report.generatedAt}`,
    `Version de l'application : ${report.appVersion}`,
    `Système : ${os.platform} ${os.release} (${os.arch})`,
    `Node.js : ${runtimes.node} ; Electron : ${runtimes.electron ?? 'non (navigateur)'} ; Chromium : ${runtimes.chrome ?? '-'}`,
    `Mode guichet : ${report.counterMode ? 'activé' : 'désactivé'}`,
    `File d'envoi : ${queue.pending} en attente, ${queue.sent} envoyé(s), ${queue.refused} refusé(s) ; ${queue.pendingOtherDossiers} en attente pour un autre dossier`,
    report.recent.length === 0 ? 'Dernières erreurs : aucune' : 'Dernières erreurs (la plus récente en dernier) :',
    ...report.recent.map((e) => `- ${e.at} ${LEVEL_WORDS[e.level]} ${e.event}${e.code ? ` (${e.code})` : ''}`),
  ];
  return lines.join('\n');
}
