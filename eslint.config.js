// Lint keeps the architecture honest: the renderer never reaches Node, core and shared never
// reach Electron (design.md section 4).
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
        { paths: ['electron', 'electron-store'], patterns: ['**/electron/**', '**/src-renderer/**'] },
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
          patterns: ['**/src-main/**', '**/src-server/**', '**/src-renderer/**'],
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
          patterns: ['**/src-main/**', '**/src-server/**'],
        },
      ],
    },
  },
);
