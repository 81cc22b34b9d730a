import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { EXCHANGE_HUB, MESSAGE_TTL_SECONDS, MESSAGE_TYPES, HEALTH_AGENCY, MYNA_PORTAL, TAX_AGENCY } from '@myna/protocol';
import type { Scenario } from '../runner/scenario';
import { agencyCodeOf, exchange, injectIntoHub, inquiryClaims, insiderKeys, newCitizen } from './scenario-support';

export const impersonatingAgency: Scenario = {
  name: 'impersonating-agency',
  claim: 'An agency cannot pass itself off as another party to borrow its legal permissions: the hub checks who signed, not who a message says it is from.',
  proves:
    'tax, with its own keys, posing as the portal to get health’s self-disclosure (every medical claim) is refused as impersonation, or as bad-signature under the portal’s key id; the same rule in tax’s own name is denied, and health receives nothing',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen');
    const tax = await insiderKeys(context, TAX_AGENCY, 'attacker', 'tax-agency itself turned rogue: it holds its own keys and nothing else');
    const portalKid = (await context.keys.file(TAX_AGENCY)).directory[MYNA_PORTAL].signing.kid;
    const taxCode = await agencyCodeOf(context, TAX_AGENCY, citizen.personIds[TAX_AGENCY]!);
    const now = Math.floor(Date.now() / 1000);
    // What tax wants and may not have: health's records. Only the portal may ask health for everything it holds.
    const request = { provider: HEALTH_AGENCY, rule: 'R-POR-HEA-SELF', item: 'self-disclosure' };
    const healthJobsBefore = await context.queues.jobCount(HEALTH_AGENCY);

    const signedAsPortal = async (kid: string) => {
      const { inquiryId, claims } = inquiryClaims(tax, taxCode, request, randomUUID());
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: MESSAGE_TYPES.inquiry })
        .setIssuer(MYNA_PORTAL)
        .setAudience(EXCHANGE_HUB)
        .setIssuedAt(now)
        .setExpirationTime(now + MESSAGE_TTL_SECONDS)
        .setJti(inquiryId)
        .sign(tax.signingKey);
      return { inquiryId, token };
    };

    const own = await signedAsPortal(tax.signingKid);
    await injectIntoHub(context, {
      what: 'a self-disclosure inquiry to health, signed with tax’s own key, claiming to come from the portal (iss = myna-portal)',
      jobName: 'inquiry',
      data: { token: own.token },
      jobId: own.inquiryId,
      inquiryId: own.inquiryId,
      expectedReason: 'impersonation',
    });

    const borrowed = await signedAsPortal(portalKid);
    await injectIntoHub(context, {
      what: `the same, signed with tax’s key under the portal’s key id (${portalKid})`,
      jobName: 'inquiry',
      data: { token: borrowed.token },
      jobId: borrowed.inquiryId,
      inquiryId: borrowed.inquiryId,
      expectedReason: 'bad-signature',
    });

    // In its own name, tax can only use its own rules.
    const borrowedRule = await exchange(context, TAX_AGENCY, citizen, request);
    const provided = await context.databases.agency(HEALTH_AGENCY).providedCount({ requester: TAX_AGENCY });
    context.check(
      'tax asking health for self-disclosure in its own name is denied, and health has never answered tax',
      borrowedRule.status === 'denied' && provided === 0,
      `status ${borrowedRule.status}: ${borrowedRule.reason ?? 'no reason'}; health's database: ${provided} answers ever given to tax (${healthJobsBefore} jobs on health's queue before, ${await context.queues.jobCount(HEALTH_AGENCY)} after)`,
    );
    return context.conclude();
  },
};
