import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { ThrottlerOptions } from '@nestjs/throttler';
import { PRINCIPAL, type Principal } from './principal';

/** The edges an attacker would hammer: each has its own budget, per caller. */
export const RATE_LIMITS = {
  /** The operators' token endpoint, per client address. */
  token: { limit: 30, ttlSeconds: 60 },
  /** Portal sign-in (challenges and completions), per client address. */
  'sign-in': { limit: 30, ttlSeconds: 60 },
  /** The lost-card hotline, per client address. */
  hotline: { limit: 10, ttlSeconds: 60 },
  /** PIN entry at the card reader, per client address (the chip locks after 3 wrong PINs anyway). */
  'pin-entry': { limit: 10, ttlSeconds: 60 },
  /** Enrolment at an agency, per operator. */
  enrolment: { limit: 600, ttlSeconds: 60 },
  /** A citizen's Verify at the portal, per citizen: each asks the hub for proofs it computes over the whole log. */
  'log-proof': { limit: 12, ttlSeconds: 60 },
} as const;
export type RateLimitKind = keyof typeof RATE_LIMITS;

const RATE_LIMIT = 'myna:rate-limit';

/** Limits a route by its kind's budget. Routes without it are not limited. */
export const RateLimit = (kind: RateLimitKind) => SetMetadata(RATE_LIMIT, kind);

/**
 * One throttler per kind, each applied only to the routes marked with it.
 */
export type RateLimitBudgets = Readonly<Record<RateLimitKind, { limit: number; ttlSeconds: number }>>;

/** The budgets; `RATE_LIMIT_<KIND>=<limit>/<seconds>` (e.g. RATE_LIMIT_SIGN_IN=100/60) overrides one. From RATE_LIMIT_<KIND> variables where set; throws naming a malformed variable. */
export function rateLimitBudgets(env: NodeJS.ProcessEnv): RateLimitBudgets {
  return Object.fromEntries((Object.keys(RATE_LIMITS) as RateLimitKind[]).map((kind) => [kind, budget(kind, env)])) as RateLimitBudgets;
}

export function rateLimitThrottlers(budgets: RateLimitBudgets): ThrottlerOptions[] {
  return (Object.keys(RATE_LIMITS) as RateLimitKind[]).map((kind) => {
    const { limit, ttlSeconds } = budgets[kind];
    return {
      name: kind,
      limit,
      ttl: ttlSeconds * 1000,
      skipIf: (context: ExecutionContext) => Reflect.getMetadata(RATE_LIMIT, context.getHandler()) !== kind,
      getTracker: (request: Record<string, unknown>) => tracker(request),
    };
  });
}

function budget(kind: RateLimitKind, env: NodeJS.ProcessEnv): { limit: number; ttlSeconds: number } {
  const variable = `RATE_LIMIT_${kind.toUpperCase().replace(/-/g, '_')}`;
  const value = env[variable];
  if (value === undefined || value === '') return RATE_LIMITS[kind];
  const match = /^(\d{1,7})\/(\d{1,6})$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) throw new RateLimitSettingError(variable);
  return { limit: Number(match[1]), ttlSeconds: Number(match[2]) };
}

/** An operator is limited by its client id, a signed-in citizen as that citizen (whichever session or address); anyone else by address. The throttler keeps only a hash of it. */
function tracker(request: Record<string, unknown>): string {
  const principal = request[PRINCIPAL] as Principal | undefined;
  if (principal?.kind === 'operator') return `operator:${principal.clientId}`;
  if (principal?.kind === 'citizen') return `citizen:${principal.portalCode}`;
  return `address:${String(request.ip ?? 'unknown')}`;
}

export class RateLimitSettingError extends Error {
  constructor(readonly variable: string) {
    super('must be <limit>/<seconds>, e.g. 30/60');
  }
}
