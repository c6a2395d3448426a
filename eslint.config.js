// Layer rules: the renderer never reaches Node,
// Electron or SQLite, and takes only what common/ holds (the contract,
// value lists); common/ itself imports no process's code; the engine
// never reaches Electron main modules, SQLite or the renderer; main/ enters
// the engine through one door, native-worker/engine-api.ts.
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeOnly = ['electron', 'better-sqlite3', 'node:*', 'fs', 'path', 'child_process', 'worker_threads', 'os'];

/** no-restricted-imports options for code that also runs where Node does not; `why` leads every message. */
const browserOnly = (why, patterns) => ({
  paths: nodeOnly.filter((p) => !p.includes('*')).map((name) => ({ name, message: `${why}: no Node, Electron or SQLite.` })),
  patterns: [{ group: ['node:*'], message: `${why}: no Node built-ins.` }, ...patterns],
});

const ENGINE_DOOR =
  'main/ enters the engine only through native-worker/engine-api.ts (config checks, estimates, version, kernels, checkpoints), which keeps the engine out of the main bundle; export what you need there.';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly', Buffer: 'readonly' } },
  },
  ...pluginVue.configs['flat/recommended'],
  {
    // Vue single-file components: TypeScript in <script setup lang="ts">; vue-tsc checks names, so no-undef is off as for .ts.
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
    rules: {
      'no-undef': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': ['error', { html: { void: 'any', normal: 'always', component: 'always' } }],
    },
  },
  {
    // What every process shares (run statuses, value lists): plain values and types the renderer can import too.
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        browserOnly('common/ is shared with the renderer', [
          {
            group: ['**/main/**', '**/native-worker/**', '**/renderer/**'],
            message: 'common/ imports nothing from the processes that share it.',
          },
        ]),
      ],
    },
  },
  {
    files: ['native-worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'better-sqlite3'], message: 'The engine is pure computation: no Electron, no SQLite.' },
            { group: ['**/renderer/**', '../renderer/*'], message: 'The engine never imports the renderer.' },
            { group: ['**/main/**', '../main/*'], message: 'The engine never imports main/: what it shares with it lives in common/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**'], message: 'main never imports the renderer.' },
            { group: ['**/native-worker/**', '!**/native-worker/engine-api'], message: ENGINE_DOOR },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression > Literal[value=/native-worker\\/(?!engine-api$)/]', message: ENGINE_DOOR },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        browserOnly('The renderer is sandboxed', [
          { group: ['**/native-worker/**'], message: 'The renderer talks to the engine only through the contract in common/.' },
          { group: ['**/main/**'], message: 'The renderer reaches main/ only over IPC; the contract lives in common/.' },
        ]),
      ],
    },
  },
  // Layout is Prettier's (npm run format); no lint rule argues with it.
  prettier,
);
