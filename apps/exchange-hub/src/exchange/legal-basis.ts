import type { LegalRule, LegalTable } from '@myna/protocol';

export interface RequestedExchange {
  requester: string;
  provider: string;
  item: string;
  rule: string;
}

export type LegalDecision = { permitted: true; rule: LegalRule } | { permitted: false; reason: string };

/** Procedure named in the portal's record of an exchange no rule permits. */
export const NO_RULE_PROCEDURE = '(no rule)';

/**
 * Checks (requester, provider, item, rule) against the legal table. A denial says
 * what was asked and, when the rule exists, what that rule does permit.
 */
export function decideLegalBasis(table: LegalTable, request: RequestedExchange): LegalDecision {
  const rule = table.permits(request.requester, request.provider, request.item, request.rule);
  if (rule) return { permitted: true, rule };
  const asked = `no rule ${request.rule} lets ${request.requester} ask ${request.provider} for ${request.item}`;
  const named = table.rules.find((candidate) => candidate.id === request.rule);
  const why = named
    ? `${named.id} lets ${named.requester} ask ${named.provider} for ${named.item} only`
    : `the legal table has no rule ${request.rule}`;
  return { permitted: false, reason: `${asked}: ${why}` };
}
