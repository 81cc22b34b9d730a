import type { PermittedPair } from '../key-ceremony';

/** The simulator's parties and the directions of the legal table (DESIGN §6): tax → health is absent. */
export const PARTIES = ['tax-agency', 'pension-agency', 'health-agency', 'myna-portal'] as const;
const AGENCIES = ['tax-agency', 'pension-agency', 'health-agency'] as const;

export const PERMITTED_PAIRS: readonly PermittedPair[] = [
  { requester: 'pension-agency', provider: 'tax-agency' },
  { requester: 'health-agency', provider: 'tax-agency' },
  { requester: 'health-agency', provider: 'pension-agency' },
  { requester: 'tax-agency', provider: 'pension-agency' },
  // Self-information disclosure, and exchange records addressed to the citizen's portal code.
  ...AGENCIES.map((agency) => ({ requester: 'myna-portal', provider: agency })),
  ...AGENCIES.map((agency) => ({ requester: agency, provider: 'myna-portal' })),
];

export const FORBIDDEN_PAIRS: readonly PermittedPair[] = PARTIES.flatMap((requester) =>
  PARTIES.filter((provider) => provider !== requester)
    .map((provider) => ({ requester, provider }))
    .filter((pair) => !PERMITTED_PAIRS.some((p) => p.requester === pair.requester && p.provider === pair.provider)),
);

export const CEREMONY_SEED = 'myna-codes test vectors v1';
