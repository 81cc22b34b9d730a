import { z } from 'zod';
import { ConfigurationError } from '@myna/platform';

/**
 * The hub's own settings, on top of the platform's. Parsed once; a bad value
 * stops the service with one line naming the variable.
 */
export interface HubSettings {
  /**
   * The mix (DESIGN §5, timing): the hub collects what it sends for this long,
   * shuffles it and sends it in one round, so that no party's stored times or row
   * order follow another's. 0 sends at once (the speed targets are measured so).
   */
  mixRoundMs: number;
  /** How long the exchange log's metadata is kept after an exchange closes (and rejections after they happen). */
  logRetentionDays: number;
}

/**
 * Defeats the learned-delay timing attack at 1 exchange/s (README, "Timing"): the attack
 * re-links about one exchange per round, 1/45 at 1/s; an exchange waits about 1.5 rounds more.
 */
export const DEFAULT_MIX_ROUND_SECONDS = 45;
/** As the real system keeps its access records: 7 years. */
export const DEFAULT_LOG_RETENTION_DAYS = 7 * 365 + 2;

const hubEnvSchema = z.object({
  HUB_MIX_ROUND_SECONDS: z.coerce.number({ error: 'must be a number' }).min(0, 'must be 0 (off) or more').max(3600, 'must be at most 3600').default(DEFAULT_MIX_ROUND_SECONDS),
  HUB_LOG_RETENTION_DAYS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number of days').min(1).max(36_500).default(DEFAULT_LOG_RETENTION_DAYS),
});

export function parseHubSettings(env: NodeJS.ProcessEnv): HubSettings {
  const parsed = hubEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  return { mixRoundMs: Math.round(parsed.data.HUB_MIX_ROUND_SECONDS * 1000), logRetentionDays: parsed.data.HUB_LOG_RETENTION_DAYS };
}

export const HUB_SETTINGS = Symbol('HUB_SETTINGS');
