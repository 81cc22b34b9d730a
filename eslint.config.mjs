// Lint rules that carry the project's architecture: who may import whom.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const parties = ['code-issuer', 'exchange-hub', 'tax-agency', 'pension-agency', 'health-agency', 'myna-portal'];

// Imports that mean I/O or a framework: a library of pure logic (libs/card, libs/codes) has none.
const ioModules = [
  '@nestjs/*', 'typeorm', 'pg', 'ioredis', 'bullmq', 'express',
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http',
  'https', 'node:https', 'child_process', 'node:child_process', 'dgram', 'node:dgram', 'dns', 'node:dns',
];
// The identifier arithmetic goes further: not even JOSE.
const impureModules = [...ioModules, 'jose'];
// Node built-ins are not in the project graph, so a pure library needs the core rule too.
const noNodeIo = (library) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: '^(node:)?(fs|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster|process)(/.*)?$',
          message: `${library} is pure: no I/O.`,
        },
        { regex: '^@nestjs/', message: `${library} is pure: no NestJS.` },
      ],
    },
  ],
});

const depConstraints = (inTests) => [
  // Nothing may import an app.
  { sourceTag: '*', notDependOnLibsWithTags: ['type:app'] },
  // A party depends on itself and on shared libraries only.
  ...parties.map((party) => ({
    sourceTag: `scope:${party}`,
    onlyDependOnLibsWithTags: [`scope:${party}`, 'scope:shared'],
  })),
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tooling'] },
  // Test helpers never ship in a deployable or a library's runtime code.
  ...(inTests ? [] : [{ sourceTag: '*', notDependOnLibsWithTags: ['type:testing'] }]),
  // Layers: a utility uses utilities; data access uses those and data access; a feature uses any library.
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:util', 'type:data-access'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:util', 'type:data-access', 'type:feature'] },
  // libs/codes: no framework, no I/O, no other project.
  { sourceTag: 'purity:pure', onlyDependOnLibsWithTags: ['purity:pure'], bannedExternalImports: impureModules },
  // libs/card: no framework, no I/O of its own (the card's files are libs/card-wallet's).
  { sourceTag: 'purity:no-io', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: ioModules },
];

const boundaries = (inTests) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(inTests) },
  ],
});

const testFiles = ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**/*.ts', 'tools/workspace-checks/**/*.ts', 'tools/federation-tests/**/*.ts'];

// The pages' own scripts (src/**/assets/*.js): plain browser JavaScript, served as files.
const browserScripts = ['**/src/**/assets/**/*.js'];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.data', '**/*.js', ...browserScripts.map((glob) => `!${glob}`), '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...boundaries(false),
    },
  },
  { files: testFiles, rules: boundaries(true) },
  {
    files: browserScripts,
    languageOptions: { ecmaVersion: 2020, sourceType: 'script', globals: { ...globals.browser } },
    rules: { ...js.configs.recommended.rules, strict: ['error', 'function'], 'no-implicit-globals': 'error' },
  },
  { files: ['libs/codes/src/**/*.ts'], ignores: ['**/*.spec.ts'], rules: noNodeIo('libs/codes') },
  { files: ['libs/card/src/**/*.ts'], ignores: ['**/*.spec.ts', '**/__tests__/**'], rules: noNodeIo('libs/card') },
];
