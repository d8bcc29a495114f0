/**
 * `node dist/server/cli.js [--campaign FILE]... [--data DIR] [--host H] [--port N] [--demo]`
 *   with DATABASE_URL set (postgres://...): storage, documents and receipt key in PostgreSQL,
 *   shared by every server started on it; --data then only holds uploads in flight.
 * `node dist/server/cli.js hash-password` (password on standard input, hash on standard output)
 * `node dist/server/cli.js purge|backup|verify ...`: the data lifecycle (lifecycle/commands.ts)
 *
 * Prints exactly one line `listening http://HOST:PORT` on standard output when ready; logs go
 * to standard error as JSON lines. SIGTERM/SIGINT stop it gracefully; SIGHUP reloads the
 * campaign files (how a deadline is moved without a restart).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../src-shared/errors';
import { isLifecycleCommand, runLifecycleCommand } from './lifecycle/commands';
import { hashPassword } from './passwords';
import { startServer } from './server';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function hashPasswordCommand(): Promise<number> {
  // One line: a trailing newline from `echo` or a terminal is not part of the password.
  const password = (await readStdin()).replace(/\r?\n$/, '');
  if (password.length === 0) {
    process.stderr.write('Mot de passe vide : rien à chiffrer.\n');
    return 2;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
  return 0;
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      campaign: { type: 'string', multiple: true },
      data: { type: 'string', default: './data' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      demo: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`Port invalide : ${values.port}\n`);
    return 2;
  }
  const campaignFiles = values.campaign ?? [];
  if (campaignFiles.length === 0 && !values.demo) {
    process.stderr.write('Aucune campagne : indiquez --campaign FICHIER ou --demo.\n');
    return 2;
  }
  const server = await startServer({
    dataDir: values.data!,
    campaignFiles,
    demo: values.demo!,
    host: values.host!,
    port,
    // An empty variable (a template left blank) means SQLite, not a connection attempt.
    databaseUrl: process.env.DATABASE_URL || undefined,
    logger: { level: process.env.LOG_LEVEL ?? 'info', stream: process.stderr },
    pdfWorkerScript: path.join(path.dirname(fileURLToPath(import.meta.url)), 'pdf-worker.js'),
  } as Parameters<typeof startServer>[0]);
  process.stdout.write(`listening ${server.url}\n`);

  process.on('SIGHUP', () => {
    try {
      server.reloadCampaigns();
      process.stderr.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: 'campaigns reloaded' })}\n`);
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'erreur inattendue';
      process.stderr.write(
        `${JSON.stringify({ level: 50, time: Date.now(), msg: 'campaign reload refused, previous campaigns kept', reason: message })}\n`,
      );
    }
  });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await server.close();
  return 0;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  try {
    if (argv[0] === 'hash-password') return await hashPasswordCommand();
    if (isLifecycleCommand(argv[0]))
      return await runLifecycleCommand(argv[0], argv.slice(1), { databaseUrl: process.env.DATABASE_URL || undefined }, {
        print: (line) => process.stdout.write(`${line}\n`),
      });
    return await serve(argv);
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main();
