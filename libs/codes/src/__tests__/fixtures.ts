import type { Edge } from '../edge';

/** The simulator's parties and the edges of the legal table (DESIGN §6): tax → health is absent. */
export const PARTIES = ['tax-agency', 'pension-agency', 'health-agency', 'myna-portal'] as const;
const AGENCIES = ['tax-agency', 'pension-agency', 'health-agency'] as const;

export const EDGES: readonly Edge[] = [
  { from: 'pension-agency', to: 'tax-agency' },
  { from: 'health-agency', to: 'tax-agency' },
  { from: 'health-agency', to: 'pension-agency' },
  { from: 'tax-agency', to: 'pension-agency' },
  // Self-information disclosure, and exchange records addressed to the citizen's portal code.
  ...AGENCIES.map((agency) => ({ from: 'myna-portal', to: agency })),
  ...AGENCIES.map((agency) => ({ from: agency, to: 'myna-portal' })),
];

/** The portal addresses the records of its own inquiries to itself. */
export const SELF_ADDRESSED = ['myna-portal'] as const;

export const FORBIDDEN_EDGES: readonly Edge[] = PARTIES.flatMap((from) =>
  PARTIES.filter((to) => to !== from)
    .map((to) => ({ from, to }))
    .filter((edge) => !EDGES.some((e) => e.from === edge.from && e.to === edge.to)),
);

export const CEREMONY_SEED = 'myna-codes test vectors v2';
export const CEREMONY_INPUT = { parties: PARTIES, edges: EDGES, selfAddressed: SELF_ADDRESSED };
