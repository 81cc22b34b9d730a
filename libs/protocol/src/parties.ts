// Each party's name, written once: every other file refers to these constants
// (tools/workspace-checks fails on a second copy of the literal).

export const CODE_ISSUER = 'code-issuer' as const;
export const EXCHANGE_HUB = 'exchange-hub' as const;
export const TAX_AGENCY = 'tax-agency' as const;
export const PENSION_AGENCY = 'pension-agency' as const;
export const HEALTH_AGENCY = 'health-agency' as const;
export const MYNA_PORTAL = 'myna-portal' as const;

/** The agencies: each keeps its own records under its own agency codes. */
export const AGENCIES = [TAX_AGENCY, PENSION_AGENCY, HEALTH_AGENCY] as const;
export type Agency = (typeof AGENCIES)[number];

/** Parties that hold agency codes: the agencies and the citizen portal. */
export const CODE_HOLDERS = [...AGENCIES, MYNA_PORTAL] as const;
export type CodeHolder = (typeof CODE_HOLDERS)[number];

/** Every service of the federation; each signs and receives messages under its own keys. */
export const SERVICES = [CODE_ISSUER, EXCHANGE_HUB, ...CODE_HOLDERS] as const;
export type Service = (typeof SERVICES)[number];

export function isService(value: unknown): value is Service {
  return typeof value === 'string' && (SERVICES as readonly string[]).includes(value);
}

export function isAgency(value: unknown): value is Agency {
  return typeof value === 'string' && (AGENCIES as readonly string[]).includes(value);
}
