// Which package may import which (README "Where things live", issue 13). `npm test` runs
// `npm run deps`, which fails on any import circle and on any arrow in a forbidden direction.
// ESLint says the same per file while editing (eslint.config.js); this check sees the whole
// graph, which a per-file rule cannot (circles).
//
// Arrows run one way:  src-renderer → src-ui → src-shared
//                      src-backoffice → src-ui → src-shared (src-ui: the pieces and the look both share)
//                      src-main/core → src-engine → src-formats → src-shared
//                      src-server → src-formats → src-shared
//                      src-main/compose → src-server (the only door between desktop and server),
//                      and only the composition roots (start, browser host, Electron main) use it.
const ours = '^(src-shared|src-formats|src-engine|src-server|src-main|src-renderer|src-backoffice|src-ui)/';

/** A package's sources may only import these of ours (node_modules and Node's own are free). */
function only(from, allowed, comment) {
  return {
    name: `${from.replace(/[^a-z-]/g, '')}-imports-only-${allowed.map((a) => a.replace(/[^a-z-]/g, '')).join('-')}`,
    comment,
    severity: 'error',
    from: { path: `^${from}` },
    to: { path: ours, pathNot: allowed.map((a) => `^${a}`) },
  };
}

/** Outside a package, only its entry file may be imported. */
function throughEntry(pkg, entries) {
  return {
    name: `${pkg}-through-its-entry`,
    comment: `${pkg} is used from outside through ${entries.join(' or ')} only: its other modules may change.`,
    severity: 'error',
    from: { pathNot: `^${pkg}/` },
    to: { path: `^${pkg}/`, pathNot: entries.map((e) => `^${pkg}/${e}$`) },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle: one of the two modules must give the shared part to a third.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    only('src-shared/', ['src-shared/'], 'src-shared is the contract: it imports nothing of ours.'),
    only('src-formats/', ['src-formats/', 'src-shared/'], 'File formats import nothing of ours but src-shared.'),
    only('src-engine/', ['src-engine/', 'src-formats/', 'src-shared/'], 'The engine knows formats and the contract, not its users.'),
    only('src-server/', ['src-server/', 'src-formats/', 'src-shared/', 'assets/'], 'The server never imports the desktop.'),
    only(
      'src-renderer/',
      ['src-renderer/', 'src-ui/', 'src-shared/'],
      'The renderer only talks to the assistant, through src-shared types; its shared pieces come from src-ui.',
    ),
    only('src-backoffice/', ['src-backoffice/', 'src-ui/', 'src-shared/'], 'The back office (a staff browser) imports only src-ui and src-shared.'),
    only('src-ui/', ['src-ui/', 'src-shared/'], 'The shared pieces know neither the assistant nor HTTP: only src-shared.'),
    {
      name: 'src-ui-knows-no-assistant-nor-http',
      comment: "The assistant's method table and the HTTP route table are the two apps' business, not the shared pieces'.",
      severity: 'error',
      from: { path: '^src-ui/' },
      to: { path: '^src-shared/(assistant-api|http-api)\\.ts$' },
    },
    only('src-main/core/', ['src-main/core/', 'src-engine/', 'src-shared/'], 'Core runs in Electron and in the browser host alike: no shell, no server.'),
    only(
      'src-main/(electron|browser-host)/',
      ['src-main/', 'src-engine/', 'src-shared/'],
      'The shells reach the server only through src-main/compose/.',
    ),
    only('src-main/start\\.ts$', ['src-main/'], 'The command-line start: the desktop only.'),
    only('src-main/compose/', ['src-main/core/', 'src-server/', 'src-shared/'], 'Composition: desktop core and server meet here only.'),
    {
      name: 'compose-only-from-roots',
      comment: 'Only the composition roots wire the embedded API: core and the shells stay server-free.',
      severity: 'error',
      from: { pathNot: '^src-main/(compose/|start\\.ts$|browser-host/cli\\.ts$|electron/main\\.ts$)' },
      to: { path: '^src-main/compose/' },
    },
    throughEntry('src-formats', ['index.ts']),
    throughEntry('src-engine', ['index.ts']),
    throughEntry('src-server', ['index.ts']),
    throughEntry('src-ui', ['index.ts', 'styles.css']),
    {
      name: 'shared-top-level-only',
      comment: 'Every top-level module of src-shared is public; nothing below it is.',
      severity: 'error',
      from: { pathNot: '^src-shared/' },
      to: { path: '^src-shared/[^/]+/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a circle through types is still a circle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
