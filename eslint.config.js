// Lint keeps the architecture honest (README "Where things live", design.md section 4): the
// renderer never reaches Node, core and shared never reach Electron, the back office reaches
// only src-ui and src-shared, src-ui (the pieces both screens share) only src-shared, and
// packages import one another in one direction only, each through its entry file. `npm run deps` checks the same
// arrows on the whole graph, plus import circles.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronModules = ['electron', 'electron-store'];

/** An import of another package of ours, reached from any depth of relative path. */
const toPackage = (name, message) => ({ regex: `(^|/)${name}(/|$)`, message });
/** Inside a package other than its entry file (`src-engine` and `src-engine/index` are fine). */
const pastEntry = (name) => ({
  regex: `(^|/)${name}/(?!index$)`,
  message: `Import ${name} through its entry (${name}/index.ts): its other modules may change.`,
});

const SERVER_NOT_DESKTOP = 'The server never imports the desktop (src-main, src-engine, src-renderer).';
const DESKTOP_NOT_SERVER = 'The desktop reaches the server only through src-main/compose/, from the composition roots.';
const BELOW = 'src-formats and src-shared import nothing of the packages above them.';
const RENDERER_ONLY_SHARED = 'The renderer only talks to the assistant, through src-shared types.';
const BACKOFFICE_ONLY_SHARED = 'The back office (a staff browser) imports only src-ui and src-shared.';
const UI_ONLY_SHARED = 'src-ui holds presentational pieces: it knows neither the assistant nor HTTP, and imports only src-shared.';
const NOTHING_IMPORTS_BACKOFFICE = toPackage('src-backoffice', 'Nothing imports the back office: the API serves its built files.');
const ONLY_SCREENS_IMPORT_UI = toPackage('src-ui', 'Only the two screens (src-renderer, src-backoffice) use src-ui.');
/** src-ui is entered through its entry, and its stylesheet (the look) by each app's entry. */
const UI_PAST_ENTRY = {
  regex: '(^|/)src-ui/(?!(index|styles\\.css)$)',
  message: 'Import src-ui through its entry (src-ui/index.ts), or its stylesheet (src-ui/styles.css).',
};
const NO_ELECTRON = { group: ['**/electron/**'], message: 'Electron stays in src-main/electron/.' };
const NO_COMPOSE = {
  regex: '(^|/)compose/',
  message: 'Only the composition roots (start.ts, browser-host/cli.ts, electron/main.ts) wire the embedded API.',
};

/** One group of files and everything it may not import (a later block would replace, not add). */
const restrict = (files, { paths = [], patterns = [] }, ignores) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

const COMPOSITION_ROOTS = ['src-main/start.ts', 'src-main/browser-host/cli.ts', 'src-main/electron/main.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  restrict(['src-shared/**'], {
    paths: [...electronModules, ...nodeBuiltins],
    patterns: ['src-main', 'src-server', 'src-renderer', 'src-engine', 'src-formats', 'src-backoffice', 'src-ui'].map((p) => toPackage(p, BELOW)),
  }),
  restrict(['src-formats/**'], {
    paths: electronModules,
    patterns: [NO_ELECTRON, ...['src-main', 'src-server', 'src-renderer', 'src-engine', 'src-backoffice', 'src-ui'].map((p) => toPackage(p, BELOW))],
  }),
  restrict(['src-engine/**'], {
    paths: electronModules,
    patterns: [
      NO_ELECTRON,
      ...['src-main', 'src-server', 'src-renderer', 'src-backoffice', 'src-ui'].map((p) => toPackage(p, 'The engine knows only src-formats and src-shared.')),
      pastEntry('src-formats'),
    ],
  }),
  restrict(['src-server/**'], {
    paths: electronModules,
    patterns: [
      NO_ELECTRON,
      ...['src-main', 'src-engine', 'src-renderer'].map((p) => toPackage(p, SERVER_NOT_DESKTOP)),
      NOTHING_IMPORTS_BACKOFFICE,
      ONLY_SCREENS_IMPORT_UI,
      pastEntry('src-formats'),
    ],
  }),
  restrict(['src-main/core/**'], {
    paths: electronModules,
    patterns: [
      NO_ELECTRON,
      NO_COMPOSE,
      toPackage('src-server', DESKTOP_NOT_SERVER),
      toPackage('src-renderer', RENDERER_ONLY_SHARED),
      NOTHING_IMPORTS_BACKOFFICE,
      ONLY_SCREENS_IMPORT_UI,
      toPackage('src-formats', 'The desktop reads formats through the engine (src-engine).'),
      pastEntry('src-engine'),
    ],
  }),
  restrict(['src-main/compose/**'], {
    paths: electronModules,
    patterns: [
      NO_ELECTRON,
      toPackage('src-renderer', RENDERER_ONLY_SHARED),
      NOTHING_IMPORTS_BACKOFFICE,
      ONLY_SCREENS_IMPORT_UI,
      pastEntry('src-server'),
      pastEntry('src-engine'),
    ],
  }),
  restrict(
    ['src-main/electron/**', 'src-main/browser-host/**', 'src-main/*.ts'],
    {
      patterns: [
        NO_COMPOSE,
        toPackage('src-server', DESKTOP_NOT_SERVER),
        toPackage('src-renderer', RENDERER_ONLY_SHARED),
      NOTHING_IMPORTS_BACKOFFICE,
      ONLY_SCREENS_IMPORT_UI,
        pastEntry('src-engine'),
        pastEntry('src-formats'),
      ],
    },
    COMPOSITION_ROOTS,
  ),
  restrict(COMPOSITION_ROOTS, {
    patterns: [
      toPackage('src-server', DESKTOP_NOT_SERVER),
      toPackage('src-renderer', RENDERER_ONLY_SHARED),
      NOTHING_IMPORTS_BACKOFFICE,
      ONLY_SCREENS_IMPORT_UI,
      pastEntry('src-engine'),
      pastEntry('src-formats'),
    ],
  }),
  restrict(['src-renderer/**'], {
    paths: [...electronModules, ...nodeBuiltins],
    patterns: [
      ...['src-main', 'src-server', 'src-engine', 'src-formats'].map((p) => toPackage(p, RENDERER_ONLY_SHARED)),
      NOTHING_IMPORTS_BACKOFFICE,
      UI_PAST_ENTRY,
    ],
  }),
  restrict(['src-backoffice/**'], {
    paths: [...electronModules, ...nodeBuiltins],
    patterns: [
      ...['src-main', 'src-server', 'src-engine', 'src-formats', 'src-renderer'].map((p) => toPackage(p, BACKOFFICE_ONLY_SHARED)),
      UI_PAST_ENTRY,
    ],
  }),
  restrict(['src-ui/**'], {
    paths: [...electronModules, ...nodeBuiltins],
    patterns: [
      ...['src-main', 'src-server', 'src-engine', 'src-formats', 'src-renderer', 'src-backoffice'].map((p) => toPackage(p, UI_ONLY_SHARED)),
      // The assistant's method table and the HTTP route table are the two apps' business, not the pieces'.
      { regex: '(^|/)src-shared/(assistant-api|http-api)$', message: UI_ONLY_SHARED },
    ],
  }),
);
