// The README's commands start compiled entry points (`npm run demo`, `keys`, `seed`,
// `scenarios`, `bench`, `bench:exchange`) through tools/run-compiled, which compiles only
// when a source changed. Each is run here exactly as a user runs it, after one
// build, with --help: a script that cannot load its own modules (a missing
// path-alias hook, say) fails here instead of on a newcomer's first `npm run
// demo`, and one that rebuilds although nothing changed says so on stderr.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
// tools/run-compiled is plain JavaScript outside every project: it runs before anything is built.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { assetFiles, builtFingerprint, sourceFiles, sourcesFingerprint } from '../../run-compiled/build-freshness';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const RUNNER = 'node tools/run-compiled/run-compiled.js ';

const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
const compiledEntryPoints = Object.entries(scripts)
  .filter(([, command]) => command.startsWith(RUNNER) && !command.endsWith('--build'))
  .map(([name]) => name);

/** The environment of a user's shell: nothing that jest or ts-node set for this test. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('TS_NODE_') && !key.startsWith('JEST_') && !key.startsWith('npm_') && key !== 'NODE_OPTIONS' && key !== 'NODE_ENV') env[key] = value;
  }
  return env;
}

function npmRun(name: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return run('npm', ['run', '--silent', name, '--', ...args], { cwd: ROOT, env: userEnvironment(), timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
  );
}

describe('npm scripts that start compiled entry points', () => {
  beforeAll(async () => {
    await run('npm', ['run', 'build', '--silent'], { cwd: ROOT, env: userEnvironment() });
  }, 300_000);

  it('include the demo, the key ceremony, the seed, the scenarios, the log audit, the exchange benchmark and the soak', () => {
    expect(compiledEntryPoints.sort()).toEqual(['bench', 'bench:exchange', 'demo', 'keys', 'log:verify', 'scenarios', 'seed', 'soak']);
    expect(scripts.build).toBe(`${RUNNER}--build`);
  });

  it('record what the build compiled', () => {
    expect(builtFingerprint(ROOT)).toBe(sourcesFingerprint(ROOT));
  });

  it('ship the web assets beside the compiled code that serves them', () => {
    const assets = assetFiles(ROOT);
    expect(assets).toEqual(expect.arrayContaining(['apps/myna-portal/src/pages/assets/portal.css', 'apps/myna-portal/src/pages/assets/login.js', 'tools/card-reader/src/assets/reader.css']));
    for (const file of assets) expect(fs.readFileSync(path.join(ROOT, 'dist', file), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  });

  it.each(compiledEntryPoints)('npm run %s -- --help prints its usage, without building again', async (name) => {
    const { stdout, stderr, code } = await npmRun(name, ['--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`^Usage: npm run ${name.replace(':', '\\:')} `));
  });

  // The entry points load these only once the command line is good: each must load through the runner's path-alias hook.
  it.each(['tools/launcher/src/launcher.js', 'tools/seed/src/seed-command.js', 'tools/scenarios/src/play.js', 'tools/scenarios/src/log-audit/log-audit-input.js'])('%s loads with every module it imports', async (module) => {
    const { stdout, stderr } = await run('node', ['tools/run-compiled/run-compiled.js', module], { cwd: ROOT, env: userEnvironment(), timeout: 60_000 });
    expect({ stdout, stderr }).toEqual({ stdout: '', stderr: '' });
  });

  it.each([
    ['demo', ['--bogus'], "demo: unknown option '--bogus'"],
    ['seed', ['--citizens', '-5'], "seed: --citizens must be a whole number from 1 to 10,000,000, got '-5' (see --help)"],
    ['soak', ['--exchanges', '0'], 'soak: --exchanges must be between 1 and 1000000'],
    ['scenarios', ['no-such-scenario'], "scenarios: no scenario 'no-such-scenario'"],
    ['log:verify', ['--bogus'], "log:verify: unknown argument '--bogus' (see --help)"],
  ])('npm run %s -- %j is refused with a reason and exit code 2, without building again', async (name, args, reason) => {
    const { stderr, code } = await npmRun(name, args);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toContain(reason);
    expect(stderr).not.toContain('building');
  });
});

describe('the build fingerprint (tools/run-compiled)', () => {
  let root: string;
  const write = (file: string, text = 'export const x = 1;\n') => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'myna-fingerprint-'));
    write('tsconfig.build.json', '{}');
    write('apps/tax-agency/src/main.ts');
    write('libs/protocol/src/legal-table/legal-basis-table.json', '{}');
    write('libs/portal/src/pages/records.page.spec.ts');
    write('libs/portal/src/__tests__/helper.ts');
    write('tools/seed/README.md', '# seed');
    write('apps/myna-portal/src/pages/assets/portal.css', 'body { margin: 0; }\n');
    write('tools/launcher/src/test-fixtures/stub-service.js');
    write('tools/seed/node_modules/x/src/index.ts');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('covers the compiled sources and settings, not tests, documents or dependencies', () => {
    expect(sourceFiles(root)).toEqual([
      'apps/myna-portal/src/pages/assets/portal.css',
      'apps/tax-agency/src/main.ts',
      'libs/protocol/src/legal-table/legal-basis-table.json',
      'tsconfig.build.json',
    ]);
    expect(assetFiles(root)).toEqual(['apps/myna-portal/src/pages/assets/portal.css']);
  });

  it('stays the same while nothing changes, and changes with an edit, a new file or a deleted one', () => {
    const before = sourcesFingerprint(root);
    expect(sourcesFingerprint(root)).toBe(before);

    write('libs/portal/src/pages/records.page.spec.ts', 'changed');
    expect(sourcesFingerprint(root)).toBe(before);

    const main = path.join(root, 'apps/tax-agency/src/main.ts');
    const later = new Date(fs.statSync(main).mtimeMs + 5_000);
    fs.utimesSync(main, later, later);
    const touched = sourcesFingerprint(root);
    expect(touched).not.toBe(before);

    write('libs/portal/src/pages/new.page.ts');
    const added = sourcesFingerprint(root);
    expect(added).not.toBe(touched);

    fs.rmSync(path.join(root, 'libs/portal/src/pages/new.page.ts'));
    expect(sourcesFingerprint(root)).toBe(touched);
  });
});
