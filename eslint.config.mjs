// Lint rules that carry the project's architecture: who may import whom.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const parties = ['code-issuer', 'exchange-hub', 'tax-agency', 'pension-agency', 'health-agency', 'myna-portal'];

// Imports that mean I/O or a framework: the identifier arithmetic must stay pure.
const impureModules = [
  '@nestjs/*', 'typeorm', 'pg', 'ioredis', 'bullmq', 'jose', 'express',
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http',
  'https', 'node:https', 'child_process', 'node:child_process', 'dgram', 'node:dgram', 'dns', 'node:dns',
];

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
  // libs/codes: no framework, no I/O, no other project.
  { sourceTag: 'purity:pure', onlyDependOnLibsWithTags: ['purity:pure'], bannedExternalImports: impureModules },
];

const boundaries = (inTests) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(inTests) },
  ],
});

const testFiles = ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**/*.ts', 'tools/workspace-checks/**/*.ts', 'tools/federation-tests/**/*.ts'];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.data', '**/*.js', '**/*.mjs', '**/*.cjs'] },
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
    // Node built-ins are not in the project graph, so purity needs the core rule too.
    files: ['libs/codes/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:)?(fs|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster|process)(/.*)?$',
              message: 'libs/codes is pure: no I/O.',
            },
          ],
        },
      ],
    },
  },
];
