/**
 * The companion API as a package: what the desktop's composition roots (`src-main/compose/`)
 * may use to embed it. Its own command is `cli.ts`.
 */
export { startServer, type RunningServer, type StartOptions } from './server';
