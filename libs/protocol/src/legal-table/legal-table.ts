import { z } from 'zod';
import { AGENCIES, CODE_HOLDERS, type CodeHolder } from '../parties';
import legalTableJson from './legal-basis-table.json';
import { MYNA_PORTAL } from '../parties';

const party = z.enum(CODE_HOLDERS);

export const legalRuleSchema = z.strictObject({
  id: z.string().regex(/^R-[A-Z0-9-]+$/, 'rule ids look like R-PEN-TAX-INCOME'),
  requester: party,
  provider: party,
  item: z.string().regex(/^[a-z][a-z0-9-]*$/),
  procedure: z.string().min(1),
  legalReference: z.string().min(1),
  simulated: z.boolean(),
});
export type LegalRule = z.infer<typeof legalRuleSchema>;

const legalTableSchema = z
  .strictObject({
    format: z.literal('myna/legal-table'),
    version: z.literal(1),
    note: z.string().optional(),
    rules: z.array(legalRuleSchema).min(1),
  })
  .superRefine((table, context) => {
    const ids = new Set<string>();
    table.rules.forEach((rule, index) => {
      if (ids.has(rule.id)) context.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id ${rule.id}` });
      ids.add(rule.id);
      if (rule.requester === rule.provider) {
        context.addIssue({ code: 'custom', path: ['rules', index], message: `${rule.id} pairs a party with itself` });
      }
    });
  });

export class LegalTable {
  private constructor(readonly rules: readonly LegalRule[]) {}

  /** Validates a table; throws naming the first bad field. */
  static parse(json: unknown): LegalTable {
    const parsed = legalTableSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`legal table: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    return new LegalTable(parsed.data.rules);
  }

  /** The checked-in table. */
  static load(): LegalTable {
    return LegalTable.parse(legalTableJson);
  }

  /** The rule permitting exactly (requester, provider, item, rule id), if any. */
  permits(requester: string, provider: string, item: string, ruleId: string): LegalRule | undefined {
    return this.rules.find(
      (rule) => rule.id === ruleId && rule.requester === requester && rule.provider === provider && rule.item === item,
    );
  }

  /** Directed (requester, provider) pairs with at least one rule: the only pairs that get factors. */
  permittedPairs(): { requester: CodeHolder; provider: CodeHolder }[] {
    const pairs = new Map<string, { requester: CodeHolder; provider: CodeHolder }>();
    for (const { requester, provider } of this.rules) pairs.set(`${requester}>${provider}`, { requester, provider });
    return [...pairs.values()];
  }

  /**
   * Every edge the key ceremony gives keys to: the legal table's pairs, plus each
   * agency → portal, so that exchange records reach the citizen addressed by the
   * portal's own code (DESIGN §5 step 6).
   */
  translationEdges(): { from: CodeHolder; to: CodeHolder }[] {
    const edges = new Map(this.permittedPairs().map(({ requester, provider }) => [`${requester}>${provider}`, { from: requester, to: provider }]));
    for (const agency of AGENCIES) edges.set(`${agency}>${PORTAL}`, { from: agency, to: PORTAL });
    return [...edges.values()];
  }
}

const PORTAL = MYNA_PORTAL satisfies CodeHolder;
