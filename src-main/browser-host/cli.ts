/**
 * `npm run browser -- [--api URL] [--port N] [--data DIR] [--counter] [--scan-folder DIR]
 * [--idle-seconds N]`: the app's UI in a browser on
 * 127.0.0.1, with the main-process assistant behind the loopback bridge. Without --api, an
 * embedded companion API with the demo campaign is started too, as `npm start` does.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAssistant } from '../core/assistant';
import { packageVersion } from '../core/assistant/support';
import { createDispatch } from '../core/dispatch';
import { COUNTER_ARG_OPTIONS, counterOverrides } from '../core/counter/command-line';
import { JsonCounterSettings } from '../core/counter/settings';
import { createEventHub } from '../core/events';
import { demoAccountsText, startEmbeddedDemoApi } from '../compose/embedded-api';
import { createFileLog } from '../core/log-file';
import { projectPath } from '../core/project-paths';
import { jsonSettingsStore } from '../core/settings';
import { startBrowserHost } from './host';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string' },
      port: { type: 'string', default: '0' },
      data: { type: 'string', default: path.join('data', 'browser-host') },
      ...COUNTER_ARG_OPTIONS,
    },
  });
  const overrides = counterOverrides(values);
  if (typeof overrides === 'string') {
    process.stderr.write(`${overrides}\n`);
    process.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`Port invalide : ${values.port}\n`);
    process.exit(2);
  }
  const dataDir = path.resolve(values.data!);
  const embedded = values.api ? null : await startEmbeddedDemoApi(path.join(dataDir, 'api'));
  const apiUrl = values.api ?? embedded!.url;

  const events = createEventHub();
  const log = createFileLog({ dir: path.join(dataDir, 'logs') });
  log.info('app.started', { version: packageVersion(), shell: 'browser' });
  const assistant = createAssistant({
    apiUrl,
    workspaceDir: path.join(dataDir, 'workspace'),
    events,
    log,
    settings: jsonSettingsStore(path.join(dataDir, 'settings.json')),
    counter: { settings: new JsonCounterSettings(path.join(dataDir, 'counter-settings.json')), overrides },
  });
  const dispatch = createDispatch(assistant, (method, error) => {
    process.stderr.write(`assistant.${method} a échoué : ${error instanceof Error ? error.stack : String(error)}\n`);
  });
  const host = await startBrowserHost({ dispatch, rendererDir: projectPath('dist', 'renderer'), port, events });
  if (embedded) process.stdout.write(demoAccountsText());
  process.stdout.write(`ready ${host.url}\n`);

  const stop = async () => {
    await host.close();
    await assistant.shutdown();
    await embedded?.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`L'assistant n'a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
