import { AgencyCode, encryptSubjects, parseCiphertext, parsePartyBundle, receiveCode, translate } from '@myna/codes';
import { breakdown, buildCryptoFixture, compareSchemes, CryptoCheckError, EXCHANGE_STEPS, runCryptoSteps, type CryptoFixture } from './crypto-steps';

const exchange = { requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income' } as const;

describe('the crypto step runner', () => {
  let fixture: CryptoFixture;

  beforeAll(async () => {
    fixture = await buildCryptoFixture(exchange, 3);
  });

  it("runs every step of an exchange, in each service's order, once per iteration", async () => {
    const run = await runCryptoSteps(fixture, { iterations: 3, warmup: 1 });

    expect(run.iterations).toBe(3);
    expect(run.groupBackend).toBe(process.env.MYNA_GROUP_BACKEND ?? 'sodium');
    expect(run.steps.map((step) => step.name)).toEqual(EXCHANGE_STEPS.map((step) => step.name));
    for (const step of run.steps) {
      expect(step.ops).toBe(3);
      expect(Number.isFinite(step.msPerOp) && Number.isFinite(step.cpuMsPerOp)).toBe(true);
      expect(Math.min(step.msPerOp, step.cpuMsPerOp)).toBeGreaterThanOrEqual(0);
    }
    expect(run.totalMs).toBeCloseTo(run.steps.reduce((sum, step) => sum + step.msPerOp, 0), 10);
    expect(run.totalCpuMs).toBeCloseTo(run.steps.reduce((sum, step) => sum + step.cpuMsPerOp, 0), 10);
    // Warm-up exchanges are checked too: 1 + 3.
    expect(run.checks).toEqual({ providerCodeMatches: 4, portalCodeMatches: 4, payloadRoundTrips: 4, subjectsCarried: 4 });
  });

  it('covers what DESIGN §5 says each party does: 2 requester + 4 hub + 5 provider + 4 hub + 2 requester + 2 portal steps', () => {
    const count = (party: string) => EXCHANGE_STEPS.filter((step) => step.party === party).length;
    expect([count('requester'), count('hub'), count('provider'), count('portal')]).toEqual([4, 8, 5, 2]);
    expect(EXCHANGE_STEPS.filter((step) => step.kind === 'group').map((step) => step.name)).toEqual([
      'encrypt own code for the edge and the record',
      'translate requester→provider',
      'decrypt and close own code',
      'translate requester→portal',
      'decrypt and close portal code',
    ]);
  });

  it("uses inputs that round-trip: the provider's decrypted code is the issuer's direct computation (issueAgencyCode)", () => {
    const person = fixture.people[0];
    const [subject, recordSubject] = encryptSubjects(fixture.requesterCodes, AgencyCode.parse(person.requesterCode), [exchange.provider, 'myna-portal']);
    const atProvider = translate(fixture.hubCodes, exchange.requester, exchange.provider, parseCiphertext(subject.toText()));
    expect(receiveCode(fixture.providerCodes, exchange.requester, atProvider).toText()).toBe(person.providerCode);
    const atPortal = translate(fixture.hubCodes, exchange.requester, 'myna-portal', recordSubject);
    expect(receiveCode(fixture.portalCodes, exchange.requester, atPortal).toText()).toBe(person.portalCode);
    expect(person.providerCode).not.toBe(person.requesterCode);
  });

  it('refuses to report timings when a step gives the wrong answer (a provider holding the wrong key)', async () => {
    // Tax's bundle with health's closing scalar for the edge from pension: decrypts, but closes into no one's code.
    const tax = fixture.rings.get('tax-agency')!.codesBundle as { receiving: Record<string, { closingScalar: string }> };
    const health = fixture.rings.get('health-agency')!.codesBundle as { receiving: Record<string, { closingScalar: string }> };
    const swapped = { ...tax, receiving: { ...tax.receiving, 'pension-agency': { ...tax.receiving['pension-agency'], closingScalar: health.receiving['myna-portal'].closingScalar } } };
    const wrongKeys = { ...fixture, providerCodes: parsePartyBundle(swapped) };
    await expect(runCryptoSteps(wrongKeys, { iterations: 1, warmup: 0 })).rejects.toThrow(CryptoCheckError);
  });

  it('prices the group arithmetic of one exchange with one key per party and with edge keys, on the same codes', () => {
    const comparison = compareSchemes(fixture, 2);
    expect(comparison.iterations).toBe(2);
    expect(comparison.onePartyKeyCpuMs).toBeGreaterThan(0);
    expect(comparison.edgeKeysCpuMs).toBeGreaterThan(0);
  });

  it('splits the total by kind and by party', async () => {
    const run = await runCryptoSteps(fixture, { iterations: 1, warmup: 0 });
    const split = breakdown(run);
    expect(split.byKind.group + split.byKind.jose).toBeCloseTo(run.totalMs, 10);
    expect(split.byParty.requester + split.byParty.hub + split.byParty.provider + split.byParty.portal).toBeCloseTo(run.totalMs, 10);
    const cpu = breakdown(run, 'cpu');
    expect(cpu.byKind.group + cpu.byKind.jose).toBeCloseTo(run.totalCpuMs, 10);
  });
});
