/**
 * The data lifecycle commands of `npm run server --` (api-contract.md 5.5), parsed here so the
 * server's command line only dispatches:
 *   purge --campaign ID --before DATE [--dry-run] [--data DIR]
 *   backup DIR [--data DIR]
 *   verify DIR
 * Each prints what it did on standard output; a refusal prints its reason on standard error and
 * exits 2; verify exits 1 when a document does not match.
 */
import { parseArgs } from 'node:util';
import { backup } from './backup';
import { CommandRefused, type CommandOutput } from './output';
import { purge } from './purge';
import { verify } from './verify';

export const LIFECYCLE_COMMANDS = ['purge', 'backup', 'verify'] as const;
type LifecycleCommand = (typeof LIFECYCLE_COMMANDS)[number];

export function isLifecycleCommand(name: string | undefined): name is LifecycleCommand {
  return (LIFECYCLE_COMMANDS as readonly string[]).includes(name ?? '');
}

function onePositional(positionals: string[], command: string): string {
  if (positionals.length !== 1)
    throw new CommandRefused(`Indiquez un seul dossier : npm run server -- ${command} DOSSIER${command === 'backup' ? ' [--data DIR]' : ''}.`);
  return positionals[0]!;
}

export async function runLifecycleCommand(
  command: LifecycleCommand,
  argv: string[],
  env: { databaseUrl?: string },
  out: CommandOutput,
): Promise<number> {
  try {
    switch (command) {
      case 'purge': {
        const { values } = parseArgs({
          args: argv,
          options: {
            campaign: { type: 'string' },
            before: { type: 'string' },
            'dry-run': { type: 'boolean', default: false },
            data: { type: 'string', default: './data' },
          },
          strict: true,
        });
        if (!values.campaign || !values.before)
          throw new CommandRefused('Indiquez la campagne et la date : npm run server -- purge --campaign ID --before AAAA-MM-JJ [--dry-run]. Rien n\'a été supprimé.');
        await purge(
          { campaign: values.campaign, before: values.before, dryRun: values['dry-run']!, dataDir: values.data!, databaseUrl: env.databaseUrl },
          out,
        );
        return 0;
      }
      case 'backup': {
        const { values, positionals } = parseArgs({
          args: argv,
          options: { data: { type: 'string', default: './data' } },
          allowPositionals: true,
          strict: true,
        });
        await backup({ target: onePositional(positionals, 'backup'), dataDir: values.data!, databaseUrl: env.databaseUrl }, out);
        return 0;
      }
      case 'verify': {
        const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
        return (await verify({ dir: onePositional(positionals, 'verify') }, out)) ? 0 : 1;
      }
    }
  } catch (err) {
    if (err instanceof CommandRefused) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
