import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']);

interface Probe {
  /** Where the source text pretends to live. */
  filePath: string;
  source: string;
}

const importing = (filePath: string, module: string): Probe => ({ filePath, source: `import * as m from '${module}';\nexport const x = m;\n` });

const CODES_FORBIDDEN = ['@nestjs/common', 'node:fs', 'pg', 'ioredis', 'jose'];
const CARD_FORBIDDEN = ['@nestjs/common', 'node:fs', 'fs/promises', 'pg', 'bullmq'];
const PORTAL_FORBIDDEN = ['@myna/card-wallet', '@myna/operator-client'];

const PROBES = {
  agencyImportsAgency: {
    filePath: 'apps/tax-agency/src/probe.ts',
    source: "import { pensionAgencyService } from '../../pension-agency/src/service-definition';\nexport const leak = pensionAgencyService;\n",
  },
  hubImportsAgency: {
    filePath: 'apps/exchange-hub/src/probe.ts',
    source: "import { taxAgencyService } from '../../tax-agency/src/service-definition';\nexport const leak = taxAgencyService;\n",
  },
  sharedImportsParty: {
    filePath: 'libs/platform/src/probe.ts',
    source: "import { taxAgencyService } from '../../../apps/tax-agency/src/service-definition';\nexport const x = taxAgencyService;\n",
  },
  cardImportsCrypto: { filePath: 'libs/card/src/probe.ts', source: "import * as a from 'node:crypto';\nimport * as b from 'jose';\nexport const x = [a, b];\n" },
  cardImportsPlatform: importing('libs/card/src/probe.ts', '@myna/platform'),
  agencyImportsShared: { filePath: 'apps/tax-agency/src/probe.ts', source: "import { SERVICE_NAMES } from '@myna/platform';\nexport const names = SERVICE_NAMES;\n" },
  ...Object.fromEntries(CODES_FORBIDDEN.map((module) => [`codes:${module}`, importing('libs/codes/src/probe.ts', module)])),
  ...Object.fromEntries(CARD_FORBIDDEN.map((module) => [`card:${module}`, importing('libs/card/src/probe.ts', module)])),
  ...Object.fromEntries(PORTAL_FORBIDDEN.map((module) => [`portal:${module}`, importing('apps/myna-portal/src/probe.ts', module)])),
} satisfies Record<string, Probe>;

/**
 * Lints every probe with the real ESLint and the workspace's own configuration, as
 * though each were the file at its path, in one ESLint process (one project graph for
 * them all), and returns each probe's module-boundary errors.
 */
function boundaryErrorsOf(probes: Record<string, Probe>): Promise<Record<string, string[]>> {
  const lint = `
    const { ESLint } = require('eslint');
    let input = '';
    process.stdin.on('data', (chunk) => (input += chunk)).on('end', async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const messages = {};
      for (const [name, probe] of Object.entries(JSON.parse(input))) {
        const [result] = await eslint.lintText(probe.source, { filePath: probe.filePath });
        messages[name] = result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
      }
      process.stdout.write(JSON.stringify(messages));
    });`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', lint], { cwd: root, maxBuffer: 10 * 1024 * 1024 }, (error, stdout) => {
      if (error || !stdout) return reject(error ?? new Error('eslint printed nothing'));
      const messages = JSON.parse(stdout) as Record<string, { ruleId: string | null; message: string }[]>;
      resolve(
        Object.fromEntries(
          Object.entries(messages).map(([name, found]) => [name, found.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId)).map((m) => m.message)]),
        ),
      );
    });
    child.stdin?.end(JSON.stringify(probes));
  });
}

// The architecture is enforced by the linter, so `npm test` fails when it is broken.
describe('module boundaries', () => {
  let errors: Record<string, string[]>;

  beforeAll(async () => {
    errors = await boundaryErrorsOf(PROBES);
  }, 300_000);

  it('forbids an agency importing another agency', () => {
    expect(errors.agencyImportsAgency.length).toBeGreaterThan(0);
  });

  it('forbids the hub importing an agency', () => {
    expect(errors.hubImportsAgency.length).toBeGreaterThan(0);
  });

  it.each(CODES_FORBIDDEN)('forbids libs/codes importing %s', (module) => {
    expect(errors[`codes:${module}`].join('\n')).toMatch(/purity:pure.*not allowed to import|libs\/codes is pure/);
  });

  it.each(CARD_FORBIDDEN)('forbids libs/card (the chip: pure) importing %s', (module) => {
    expect(errors[`card:${module}`].join('\n')).toMatch(/purity:no-io.*not allowed to import|libs\/card is pure/);
  });

  it('allows libs/card the cryptography it needs, and forbids it the service chassis (a data-access library)', () => {
    expect(errors.cardImportsCrypto).toEqual([]);
    expect(errors.cardImportsPlatform.length).toBeGreaterThan(0);
  });

  it('forbids a shared library importing a party', () => {
    expect(errors.sharedImportsParty.length).toBeGreaterThan(0);
  });

  it('forbids the portal reaching the citizen’s card wallet or the operators’ credentials client (tooling)', () => {
    for (const module of PORTAL_FORBIDDEN) expect(errors[`portal:${module}`].length).toBeGreaterThan(0);
  });

  it('allows an agency to use the shared libraries', () => {
    expect(errors.agencyImportsShared).toEqual([]);
  });
});
