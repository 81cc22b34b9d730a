// `npm run compose:check` runs its TypeScript through ts-node: run exactly as
// package.json spells it, with --help, it must load every module and stop there,
// starting no engine and building nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from '../compose-model';

const run = promisify(execFile);

/** The environment of a user's shell: nothing that jest or ts-node set for this test. */
const userEnvironment = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TS_NODE_') && !key.startsWith('JEST_') && key !== 'NODE_OPTIONS' && key !== 'NODE_ENV'));

describe('npm run compose:check', () => {
  it('-- --help loads every module and prints its usage', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'compose:check', '--', '--help'], { cwd: ROOT, env: userEnvironment(), timeout: 60_000 });
    expect(stdout).toMatch(/^Usage: npm run compose:check /);
    expect(stdout).toContain('--images');
  });

  it('refuses an unknown argument with exit code 2', async () => {
    await expect(run('npm', ['run', '--silent', 'compose:check', '--', '--no-such-option'], { cwd: ROOT, env: userEnvironment(), timeout: 60_000 })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown argument: --no-such-option'),
    });
  });
});
