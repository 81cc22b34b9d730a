import { AgencyCode, generateProcessingSerial, issueAgencyCode, runKeyCeremony } from '@myna/codes';
import { LegalTable } from '@myna/protocol';
import { attemptLinks, followEdgeIn, recoverEdgeKeys } from './edge-linking';

const ceremony = runKeyCeremony(
  { parties: ['tax-agency', 'pension-agency', 'health-agency', 'myna-portal'], edges: LegalTable.load().translationEdges(), selfAddressed: ['myna-portal'] },
  { seed: 'edge linking spec' },
);
const serials = Array.from({ length: 3 }, () => generateProcessingSerial());
const codesAt = (party: string) => serials.map((serial) => issueAgencyCode(ceremony.issuer, party, serial).toText());
const health = ceremony.parties.get('health-agency')!;

describe('what the hub and one party’s key file give, on real keys', () => {
  it('recovers the other end of each of the party’s edges, each matching the hub’s public key', () => {
    const recovered = recoverEdgeKeys(ceremony.hub, health);
    expect(recovered.map((entry) => `${entry.edge.from}>${entry.edge.to}`).sort()).toEqual(['health-agency>myna-portal', 'health-agency>pension-agency', 'health-agency>tax-agency', 'myna-portal>health-agency']);
    expect(recovered.every((entry) => entry.matchesPublicKey)).toBe(true);
  });

  it('follows an edge in: a health person’s code becomes the portal’s code for them', () => {
    const [code] = codesAt('health-agency');
    expect(followEdgeIn(ceremony.hub, health, 'myna-portal', AgencyCode.parse(code)).toText()).toBe(codesAt('myna-portal')[0]);
  });

  it('finds no product of two scalars that links health’s persons to tax’s or pension’s codes, and does find the portal’s (control)', () => {
    const none = attemptLinks(ceremony.hub, health, codesAt('health-agency'), new Map([['tax-agency', new Set(codesAt('tax-agency'))], ['pension-agency', new Set(codesAt('pension-agency'))]]));
    expect(none).toMatchObject({ found: 0 });
    expect(none.tried).toBe(3 * none.scalars);
    const control = attemptLinks(ceremony.hub, health, codesAt('health-agency'), new Map([['myna-portal', new Set(codesAt('myna-portal'))]]));
    expect(control.found).toBe(3);
  });
});

