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
});
