import { randomBytes } from 'node:crypto';

/**
 * A short id unique to this test process, used to name its databases and Redis keys;
 * `TEST_RUN_PREFIX` (lower-case letters, digits, `_`) says whose run it is on a shared server.
 */
export const TEST_RUN_ID = `${/^[a-z][a-z0-9_]{0,20}$/.test(process.env.TEST_RUN_PREFIX ?? '') ? process.env.TEST_RUN_PREFIX : 't'}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export const TEST_ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Polls `probe` until it returns a value other than undefined/false, or fails after the deadline. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
