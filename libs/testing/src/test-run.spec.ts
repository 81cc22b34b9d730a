import { createServer } from 'node:net';
import { freePort } from './test-federation';
import { pollUntil, TEST_RUN_ID } from './test-run';

describe('test helpers', () => {
  it('names each test run uniquely and safely for PostgreSQL identifiers', () => {
    expect(TEST_RUN_ID).toMatch(/^[a-z][a-z0-9_]+$/);
  });

  it('polls until the probe yields a value', async () => {
    let calls = 0;
    await expect(pollUntil(() => (++calls >= 3 ? 'ready' : undefined), { intervalMs: 1 })).resolves.toBe('ready');
    expect(calls).toBe(3);
  });

  it('fails after the deadline, naming what it waited for and the last error', async () => {
    await expect(
      pollUntil(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 20, intervalMs: 5, what: 'the hub' },
      ),
    ).rejects.toThrow(/timed out after 20 ms waiting for the hub \(last error: connection refused\)/);
  });

  it('hands out free ports, never the same one twice in a process, though the kernel offers a freed port again now and then', async () => {
    // About one pair in 12,000 repeats here; among 300 ports there are 44,850 pairs.
    const ports: number[] = [];
    for (let i = 0; i < 300; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    // And each is free: it can be listened on.
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[ports.length - 1], '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
