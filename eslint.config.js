// Lint keeps the architecture honest: the renderer never reaches Node, core and shared never
// reach Electron, the back office reaches only src-shared (and the app's stylesheet)
// (design.md section 4).
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-main/core/**', 'src-shared/**', 'src-server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', 'electron-store'], patterns: ['**/electron/**', '**/src-renderer/**', '**/src-backoffice/**'] },
      ],
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'electron-store', ...nodeBuiltins],
          patterns: ['**/src-main/**', '**/src-server/**', '**/src-renderer/**', '**/src-backoffice/**'],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'electron-store', ...nodeBuiltins],
          patterns: ['**/src-main/**', '**/src-server/**', '**/src-backoffice/**'],
        },
      ],
    },
  },
  {
    // The instruction back office runs in a staff browser: nothing of the desktop (its core, its
    // shell, its UI code) and nothing of the server; only the shared contract, and the app's
    // stylesheet for the same look.
    files: ['src-backoffice/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'electron-store', ...nodeBuiltins],
          patterns: [
            { group: ['**/src-main/**', '**/src-server/**'], message: 'The back office imports only src-shared.' },
            {
              group: ['**/src-renderer/**', '!**/src-renderer/styles.css'],
              message: "The back office shares only the app's stylesheet, not its code.",
            },
          ],
        },
      ],
    },
  },
);
