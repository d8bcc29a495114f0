/**
 * The counter's start options, as a help desk sets up its shortcut:
 * `--counter` (counter mode on for this run), `--scan-folder DIR`, `--idle-seconds N`.
 * Shared by the desktop app and the browser host so that both read them the same way.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CounterSettings } from './settings';

export const COUNTER_ARG_OPTIONS = {
  counter: { type: 'boolean' },
  'scan-folder': { type: 'string' },
  'idle-seconds': { type: 'string' },
} as const;

/** Answers the settings given on the command line, or a French sentence saying what is wrong. */
export function counterOverrides(values: {
  counter?: boolean;
  'scan-folder'?: string;
  'idle-seconds'?: string;
}): Partial<CounterSettings> | string {
  const overrides: Partial<CounterSettings> = {};
  if (values.counter) overrides.enabled = true;
  if (values['scan-folder']) overrides.scanFolder = path.resolve(values['scan-folder']);
  if (values['idle-seconds'] !== undefined) {
    const seconds = Number(values['idle-seconds']);
    if (!Number.isInteger(seconds) || seconds < 5 || seconds > 3600)
      return `Délai d'inactivité invalide : ${values['idle-seconds']} (un nombre de secondes entre 5 et 3600).`;
    overrides.idleSeconds = seconds;
  }
  return overrides;
}

/** For a process whose other arguments belong to someone else (Electron, Chromium switches). */
export function counterOverridesFromArgv(argv: string[]): Partial<CounterSettings> | string {
  const { values } = parseArgs({ args: argv, options: COUNTER_ARG_OPTIONS, strict: false, allowPositionals: true });
  return counterOverrides({
    counter: values.counter === true,
    'scan-folder': typeof values['scan-folder'] === 'string' ? values['scan-folder'] : undefined,
    'idle-seconds': typeof values['idle-seconds'] === 'string' ? values['idle-seconds'] : undefined,
  });
}
