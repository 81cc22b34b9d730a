// Polls a service's GET /health until it answers 200.
import { DeadlineMissedError } from './launch-error';
import { PollOptions, pollUntil } from './poll';

const REQUEST_TIMEOUT_MS = 2_000;

export type HealthAnswer = { healthy: true } | { healthy: false; reason: string };

export async function probeHealth(url: string): Promise<HealthAnswer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.status === 200 ? { healthy: true } : { healthy: false, reason: `answered ${response.status}` };
  } catch (error) {
    return { healthy: false, reason: describeFetchError(error) };
  }
}

/** Resolves once `url` answers 200; throws a LaunchError naming the last answer when the deadline passes. */
export async function waitForHealthy(url: string, label: string, options: PollOptions): Promise<void> {
  let last = 'no answer yet';
  const healthy = await pollUntil(
    async () => {
      const answer = await probeHealth(url);
      if (answer.healthy) return true;
      last = answer.reason;
      return undefined;
    },
    { intervalMs: 250, ...options },
  );
  if (!healthy) throw new DeadlineMissedError(`${label} did not become healthy in time: ${url} ${last}`);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'refused the connection';
  if ((error as Error).name === 'TimeoutError') return `did not answer within ${REQUEST_TIMEOUT_MS} ms`;
  return cause?.code ?? (error as Error).message;
}
