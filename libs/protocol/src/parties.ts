/** The agencies: each keeps its own records under its own agency codes. */
export const AGENCIES = ['tax-agency', 'pension-agency', 'health-agency'] as const;
export type Agency = (typeof AGENCIES)[number];

/** Parties that hold agency codes: the agencies and the citizen portal. */
export const CODE_HOLDERS = [...AGENCIES, 'myna-portal'] as const;
export type CodeHolder = (typeof CODE_HOLDERS)[number];

export const CODE_ISSUER = 'code-issuer' as const;
export const EXCHANGE_HUB = 'exchange-hub' as const;

/** Every service of the federation; each signs and receives messages under its own keys. */
export const SERVICES = [CODE_ISSUER, EXCHANGE_HUB, ...CODE_HOLDERS] as const;
export type Service = (typeof SERVICES)[number];

export function isService(value: unknown): value is Service {
  return typeof value === 'string' && (SERVICES as readonly string[]).includes(value);
}

export function isAgency(value: unknown): value is Agency {
  return typeof value === 'string' && (AGENCIES as readonly string[]).includes(value);
}
