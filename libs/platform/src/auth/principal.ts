import type { OperatorRole, Service } from '@myna/protocol';

/** Who is calling, once authenticated. */
export type Principal =
  | { kind: 'operator'; clientId: string; roles: readonly OperatorRole[] }
  | { kind: 'service'; service: Service }
  | { kind: 'citizen'; portalCode: string; sessionId: string; certificateSerial: string };

/** The request property the access guard sets. */
export const PRINCIPAL = 'principal';

export function describePrincipal(principal: Principal): string {
  if (principal.kind === 'operator') return `operator ${principal.clientId}`;
  if (principal.kind === 'service') return `service ${principal.service}`;
  return 'a signed-in citizen';
}

/**
 * The portal resolves citizens from their session cookie; the platform asks it
 * through this token, so every service shares one guard.
 */
export const CITIZEN_SESSIONS = Symbol('CITIZEN_SESSIONS');

export interface CitizenSessions {
  /** The citizen whose live session the request carries (and whose card is still valid), if any. */
  resolve(request: { headers: Record<string, string | string[] | undefined> }): Promise<Extract<Principal, { kind: 'citizen' }> | undefined>;
}
