import { SignJWT } from 'jose';
import { EXCHANGE_HUB, MESSAGE_MAX_AGE_SECONDS, MESSAGE_TYPES, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import { pollUntil } from '../runner/poll';
import type { Scenario } from '../runner/scenario';
import { agencyCodeOf, injectIntoHub, inquiryClaims, insiderKeys, newCitizen } from './scenario-support';

export const expiryRejected: Scenario = {
  name: 'expiry-rejected',
  claim: 'The hub rejects expired messages: an inquiry past its expiry, or older than the hub accepts, is refused even when its signature is genuine.',
  proves: `genuinely signed inquiries that expired, or were issued more than ${MESSAGE_MAX_AGE_SECONDS} s ago, are refused as expired, one that claims to live an hour as expiry-too-far, and nothing is delivered`,
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen', { at: [TAX_AGENCY, PENSION_AGENCY] });
    // A genuine signature on an old date needs pension's signing key: the attacker is an insider at pension.
    const pension = await insiderKeys(context, PENSION_AGENCY, 'attacker', 'an insider at pension, so that the signatures below are genuine');
    const pensionCode = await agencyCodeOf(context, PENSION_AGENCY, citizen.personIds[PENSION_AGENCY]!);
    const request = { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' };
    const now = Math.floor(Date.now() / 1000);

    const signAt = (inquiryId: string, claims: Record<string, unknown>, issuedAt: number, expiresAt: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: pension.signingKid, typ: MESSAGE_TYPES.inquiry })
        .setIssuer(PENSION_AGENCY)
        .setAudience(EXCHANGE_HUB)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(inquiryId)
        .sign(pension.signingKey);

    const expired = inquiryClaims(pension, pensionCode, request);
    await injectIntoHub(context, {
      what: 'a pension inquiry that expired 100 s ago (issued 400 s ago, valid for 300 s)',
      jobName: 'inquiry',
      data: { token: await signAt(expired.inquiryId, expired.claims, now - 400, now - 100) },
      jobId: expired.inquiryId,
      inquiryId: expired.inquiryId,
      expectedReason: 'expired',
    });

    const tooOld = inquiryClaims(pension, pensionCode, request);
    await injectIntoHub(context, {
      what: `a pension inquiry issued ${MESSAGE_MAX_AGE_SECONDS + 300} s ago that claims to be valid for another minute`,
      jobName: 'inquiry',
      data: { token: await signAt(tooOld.inquiryId, tooOld.claims, now - MESSAGE_MAX_AGE_SECONDS - 300, now + 60) },
      jobId: tooOld.inquiryId,
      inquiryId: tooOld.inquiryId,
      expectedReason: 'expired',
    });

    const tooLong = inquiryClaims(pension, pensionCode, request);
    await injectIntoHub(context, {
      what: 'a pension inquiry signed now that claims to stay valid for an hour (longer than the replay guard remembers its id)',
      jobName: 'inquiry',
      data: { token: await signAt(tooLong.inquiryId, tooLong.claims, now, now + 3600) },
      jobId: tooLong.inquiryId,
      inquiryId: tooLong.inquiryId,
      expectedReason: 'expiry-too-far',
    });

    // Control: the same insider's inquiry, signed now, goes through: the refusals above were about time, not the key.
    const fresh = inquiryClaims(pension, pensionCode, request);
    await context.queues.inject(EXCHANGE_HUB, PENSION_AGENCY, 'inquiry', { token: await signAt(fresh.inquiryId, fresh.claims, now, now + 300) }, fresh.inquiryId);
    context.say('attacker', `puts the same inquiry, signed now, on pension's lane to the hub (job ${fresh.inquiryId}) as a control`);
    const opened = await pollUntil(
      async () => context.databases.hub.statusOfInquiry(fresh.inquiryId),
      { what: `the hub's exchange for the control inquiry ${fresh.inquiryId}` },
    ).catch(() => 'not opened');
    context.check('the same key and claims signed now are accepted (control)', opened !== 'not opened' && opened !== 'denied', `the hub's exchange for it is ${opened}`);
    context.say(PENSION_AGENCY, 'will refuse the control’s result as an unknown inquiry: its own records never asked it (defence in depth)');
    return context.conclude();
  },
};
