import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testOperatorCredentialsDir } from '@myna/testing';
import { runSeedCommand } from './seed-command';

const FAST = { attempts: 2, firstBackoffMs: 10, timeoutMs: 2000 };
const FAST_RETRY = { batch: FAST, count: FAST };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line), retry: FAST_RETRY } };
}

/** A port with nothing listening: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('runSeedCommand', () => {
  it('prints the usage for --help', async () => {
    const { out, io } = capture();
    await expect(runSeedCommand(['--help'], {}, io)).resolves.toBe(0);
    expect(out.join('\n')).toContain('Usage: npm run seed -- --citizens N');
  });

  it('exits 2 with the problem on a bad command line', async () => {
    const { err, io } = capture();
    await expect(runSeedCommand(['--citizens', 'lots'], {}, io)).resolves.toBe(2);
    expect(err).toEqual(["seed: --citizens must be a whole number from 1 to 10,000,000, got 'lots' (see --help)"]);
  });

  it('exits 1 naming the service and URL when the federation is not running', async () => {
    const port = await closedPort();
    const { err, out, io } = capture();
    const url = `http://127.0.0.1:${port}`;
    // Real credentials (the test ceremony's), so that only the missing federation fails, wherever the test runs.
    const env = { CODE_ISSUER_URL: url, TAX_AGENCY_URL: url, PENSION_AGENCY_URL: url, HEALTH_AGENCY_URL: url, OPERATOR_CREDENTIALS_DIR: testOperatorCredentialsDir() };
    await expect(runSeedCommand(['--citizens', '10'], env, io)).resolves.toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      `seed: code-issuer at ${url}: GET /citizens/count failed 2 times; last: ECONNREFUSED`,
      `seed: tax-agency at ${url}: GET /persons/count failed 2 times; last: ECONNREFUSED`,
      `seed: pension-agency at ${url}: GET /persons/count failed 2 times; last: ECONNREFUSED`,
      `seed: health-agency at ${url}: GET /persons/count failed 2 times; last: ECONNREFUSED`,
      'seed: Is the federation running? Start it with `npm run demo`, or point the seed at it with --code-issuer-url.',
    ]);
  });
});
