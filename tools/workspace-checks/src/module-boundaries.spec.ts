import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']);

/**
 * Runs the real ESLint command line on source text as though it were the file at
 * `filePath`, and returns the module-boundary errors it reports.
 */
function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath, '--format', 'json'],
      { cwd: root, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout) => {
        if (!stdout) return reject(error ?? new Error('eslint printed nothing'));
        const [result] = JSON.parse(stdout) as { messages: { ruleId: string | null; message: string }[] }[];
        resolve(result.messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId)).map((m) => m.message));
      },
    );
    child.stdin?.end(source);
  });
}

// The architecture is enforced by the linter, so `npm test` fails when it is broken.
describe('module boundaries', () => {
  it('forbids an agency importing another agency', async () => {
    const errors = await boundaryErrors(
      'apps/tax-agency/src/probe.ts',
      "import { pensionAgencyService } from '../../pension-agency/src/service-definition';\nexport const leak = pensionAgencyService;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids the hub importing an agency', async () => {
    const errors = await boundaryErrors(
      'apps/exchange-hub/src/probe.ts',
      "import { taxAgencyService } from '../../tax-agency/src/service-definition';\nexport const leak = taxAgencyService;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it.each(['@nestjs/common', 'node:fs', 'pg', 'ioredis', 'jose'])('forbids libs/codes importing %s', async (module) => {
    const errors = await boundaryErrors('libs/codes/src/probe.ts', `import * as m from '${module}';\nexport const x = m;\n`);
    expect(errors.join('\n')).toMatch(/purity:pure.*not allowed to import|libs\/codes is pure/);
  });

  it.each(['@nestjs/common', 'node:fs', 'fs/promises', 'pg', 'bullmq'])('forbids libs/card (the chip: pure) importing %s', async (module) => {
    const errors = await boundaryErrors('libs/card/src/probe.ts', `import * as m from '${module}';\nexport const x = m;\n`);
    expect(errors.join('\n')).toMatch(/purity:no-io.*not allowed to import|libs\/card is pure/);
  });

  it('allows libs/card the cryptography it needs, and forbids it the service chassis (a data-access library)', async () => {
    expect(await boundaryErrors('libs/card/src/probe.ts', "import * as a from 'node:crypto';\nimport * as b from 'jose';\nexport const x = [a, b];\n")).toEqual([]);
    expect((await boundaryErrors('libs/card/src/probe.ts', "import * as m from '@myna/platform';\nexport const x = m;\n")).length).toBeGreaterThan(0);
  });

  it('forbids a shared library importing a party', async () => {
    const errors = await boundaryErrors(
      'libs/platform/src/probe.ts',
      "import { taxAgencyService } from '../../../apps/tax-agency/src/service-definition';\nexport const x = taxAgencyService;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids the portal reaching the citizen’s card wallet or the operators’ credentials client (tooling)', async () => {
    for (const module of ['@myna/card-wallet', '@myna/operator-client']) {
      const errors = await boundaryErrors('apps/myna-portal/src/probe.ts', `import * as m from '${module}';\nexport const x = m;\n`);
      expect(errors.length).toBeGreaterThan(0);
    }
  });

  it('allows an agency to use the shared libraries', async () => {
    const errors = await boundaryErrors(
      'apps/tax-agency/src/probe.ts',
      "import { SERVICE_NAMES } from '@myna/platform';\nexport const names = SERVICE_NAMES;\n",
    );
    expect(errors).toEqual([]);
  });
});
