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

/**
 * The layers of src-main, lowest first: core ← dm/store/secrets ← upload ← app ← shells. Each may
 * import only the layers it names, so every shell reaches the engine and the client through the
 * app service, and a lower layer never depends on a higher one (docs/architecture.md).
 */
const LAYERS = {
  core: [],
  dm: ['core'],
  store: ['core'],
  secrets: ['core'],
  upload: ['core', 'dm', 'store', 'secrets'],
  app: ['core', 'dm', 'store', 'secrets', 'upload'],
  shells: ['core', 'app'],
};

/** A relative import of another layer's folder, at any depth ("../store", "../../../dm/client"). */
function layerImport(names) {
  return `^(\\.\\./)+(src-main/)?(${names.join('|')})(/|$)`;
}

function layerPattern(layer) {
  const allowed = LAYERS[layer];
  const banned = Object.keys(LAYERS).filter((l) => l !== layer && !allowed.includes(l));
  const may = allowed.length ? `only ${allowed.map((l) => `${l}/`).join(', ')}` : 'no other layer';
  return {
    regex: layerImport(banned),
    message: `Layers (core ← dm/store/secrets ← upload ← app ← shells): src-main/${layer}/ may import ${may}.`,
  };
}

const platformPatterns = (message) => ({ group: [...sideEffects, ...nodeBuiltins], message });

/** One no-restricted-imports block per layer; core adds its platform ban to the layer's. */
const layerRules = Object.keys(LAYERS).map((layer) => ({
  files: [`src-main/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          layerPattern(layer),
          ...(layer === 'core'
            ? [platformPatterns('core/ is pure: receive side effects through an interface.')]
            : []),
        ],
      },
    ],
  },
}));

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
  // One rule per layer; core is also pure: no I/O, no platform, side effects through interfaces.
  ...layerRules,
  {
    // The contract is shared with the renderer, so it must stay free of Node and Electron too.
    files: ['src-main/app/contract.ts', 'src-main/app/contract-types.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            platformPatterns('The contract is imported by the renderer: keep it platform-free.'),
            {
              // It is the renderer's whole view of src-main, so it may name core's types only (and
              // its own two halves: the channels here, the data in contract-types.ts).
              regex: `^\\./(?!contract(-types)?$)|${layerImport(Object.keys(LAYERS).filter((l) => l !== 'core'))}`,
              message: 'The contract is imported by the renderer: it may import only core/.',
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
