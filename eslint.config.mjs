import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const sideEffects = ['electron', 'better-sqlite3', 'keytar', 'undici', 'electron-updater'];
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'http',
  'https',
  'net',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'stream',
  'stream/*',
];

/**
 * Forbids importing src-sandbox/ (every path, or every path but its service-only entry
 * `src-sandbox/service`). A rule of its own, so it stacks with any no-restricted-imports block.
 */
function noSandboxImport(allow) {
  const sandboxPath = /(^|\/)src-sandbox(\/|$)/;
  const serviceOnly = /(^|\/)src-sandbox\/service$/;
  return {
    meta: { type: 'problem', schema: [] },
    create(context) {
      const check = (node) => {
        const source = node.source?.value;
        if (typeof source !== 'string' || !sandboxPath.test(source)) return;
        if (allow === 'service-only' && serviceOnly.test(source)) return;
        context.report({
          node: node.source,
          message:
            allow === 'service-only'
              ? 'The embedded sandbox is the service alone: import src-sandbox/service, not its control layer.'
              : 'The product does not depend on the sandbox (src-sandbox/): only app/sandbox-account.ts and the CLI sandbox command may start it.',
        });
      };
      return {
        ImportDeclaration: check,
        ExportNamedDeclaration: check,
        ExportAllDeclaration: check,
        ImportExpression: check,
      };
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'test/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    // The pure domain: no I/O, no platform. Everything it needs arrives through small interfaces.
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...sideEffects, ...nodeBuiltins],
              message: 'core/ is pure: receive side effects through an interface.',
            },
          ],
        },
      ],
    },
  },
  {
    // The contract is shared with the renderer, so it must stay free of Node and Electron too.
    files: ['src-main/app/contract.ts', 'src-main/app/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...sideEffects, ...nodeBuiltins],
              message: 'The contract is imported by the renderer: keep it platform-free.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer talks only to window.firmdrop; from src-main it may import contract *types* only.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...sideEffects, ...nodeBuiltins],
              message: 'The renderer has no Node: use window.firmdrop.',
            },
            {
              regex: '^(\\.\\./)+src-main/(?!app/contract)',
              message: 'The renderer may import only the app contract from src-main.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'src-main/app/contract',
              allowTypeImports: true,
              message: 'Import the contract as types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // One clock: every time and timer of the engine goes through the injected Clock (ports.ts),
    // so give-up paths run in virtual time in tests. The chunk worker runs in its own thread.
    files: ['src-main/upload/**/*.ts'],
    ignores: ['src-main/upload/ports.ts', 'src-main/upload/chunk-worker.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the injected Clock (upload/ports.ts).' },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate'].map((name) => ({
          name,
          message: 'Use the injected Clock (upload/ports.ts).',
        })),
      ],
    },
  },
  {
    // The sandbox is a test double, not part of the product (src-sandbox/). Only the app's one
    // start of the embedded instance may use it, and only its service-only entry (no admin API,
    // no faults); the CLI's `sandbox` command starts it with its control layer. A separate rule
    // name from the layer rules, so the two sets do not override each other.
    files: ['src-main/**/*.ts'],
    ignores: [
      'src-main/app/sandbox-account.ts',
      'src-main/shells/cli/commands/sandbox.ts',
      'src-main/shells/cli/sandbox-keys.ts',
    ],
    plugins: { firmdrop: { rules: { 'no-sandbox-import': noSandboxImport('anything') } } },
    rules: { 'firmdrop/no-sandbox-import': 'error' },
  },
  {
    files: ['src-main/app/sandbox-account.ts'],
    plugins: { firmdrop: { rules: { 'no-sandbox-import': noSandboxImport('service-only') } } },
    rules: { 'firmdrop/no-sandbox-import': 'error' },
  },
);
