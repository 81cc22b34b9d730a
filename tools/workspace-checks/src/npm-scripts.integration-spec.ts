// The README's commands start compiled entry points (`npm run demo`, `keys`, `seed`,
// `scenarios`, `bench:exchange`). Each is run here exactly as package.json spells
// it, after the same build, with --help: a script that cannot load its own
// modules (a missing path-alias hook, say) fails here instead of on a newcomer's
// first `npm run demo`.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const BUILD_PREFIX = 'npm run build --silent && ';

const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
const compiledEntryPoints = Object.entries(scripts)
  .filter(([, command]) => command.startsWith(BUILD_PREFIX))
  .map(([name, command]) => [name, command.slice(BUILD_PREFIX.length)] as const);

/** The environment of a user's shell: nothing that jest or ts-node set for this test. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('TS_NODE_') && !key.startsWith('JEST_') && key !== 'NODE_OPTIONS' && key !== 'NODE_ENV') env[key] = value;
  }
  return env;
}

describe('npm scripts that start compiled entry points', () => {
  beforeAll(async () => {
    await run('npm', ['run', 'build', '--silent'], { cwd: ROOT, env: userEnvironment() });
  }, 300_000);

  it('include the demo, the key ceremony, the seed, the scenarios and the exchange benchmark', () => {
    expect(compiledEntryPoints.map(([name]) => name).sort()).toEqual(['bench:exchange', 'demo', 'keys', 'scenarios', 'seed']);
  });

  it.each(compiledEntryPoints)('npm run %s -- --help loads every module and prints its usage', async (name, command) => {
    const { stdout, stderr } = await run('sh', ['-c', `${command} --help`], { cwd: ROOT, env: userEnvironment(), timeout: 60_000 });
    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`^Usage: npm run ${name.replace(':', '\\:')} `));
  });
});
