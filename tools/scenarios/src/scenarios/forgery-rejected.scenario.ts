import { randomUUID } from 'node:crypto';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { MESSAGE_TYPES, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import type { Scenario } from '../runner/scenario';
import { capturedExchange, injectIntoHub, newCitizen } from './scenario-support';

const decode = (part: string) => JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>;
const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

export const forgeryRejected: Scenario = {
  name: 'forgery-rejected',
  claim: 'The hub accepts only messages signed by a registered agency’s key: a tampered, unsigned or foreign-signed inquiry is refused and nothing is delivered.',
  proves:
    'an attacker with Redis access but no agency key gets nothing through: a captured inquiry with altered claims (bad-signature), alg none (algorithm-not-allowed), a key not in the directory (unknown-sender), a fresh key under pension’s key id (bad-signature)',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen', { at: [TAX_AGENCY, PENSION_AGENCY] });
    const { inquiryToken } = await capturedExchange(context, citizen);
    const [header, payload, signature] = inquiryToken.split('.');
    const claims = decode(payload);
    const pensionKid = String(decode(header).kid);
    const fresh = () => {
      const inquiryId = randomUUID();
      return { inquiryId, claims: { ...claims, inquiryId, jti: inquiryId, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 120 } };
    };

    const altered = fresh();
    await injectIntoHub(context, {
      what: 'the captured inquiry with its claims altered (new id, asking for the tax assessment), pension’s signature kept',
      jobName: 'inquiry',
      data: { token: `${header}.${encode({ ...altered.claims, item: 'tax-assessment' })}.${signature}` },
      jobId: altered.inquiryId,
      inquiryId: altered.inquiryId,
      expectedReason: 'bad-signature',
    });

    const unsigned = fresh();
    await injectIntoHub(context, {
      what: 'an unsigned inquiry (alg none) claiming to be pension',
      jobName: 'inquiry',
      data: { token: `${encode({ alg: 'none', typ: MESSAGE_TYPES.inquiry })}.${encode(unsigned.claims)}.` },
      jobId: unsigned.inquiryId,
      inquiryId: unsigned.inquiryId,
      expectedReason: 'algorithm-not-allowed',
    });

    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    context.say('attacker', 'generates an Ed25519 key of its own: a "rogue agency" the hub’s directory does not know');
    const sign = (kid: string, body: { claims: Record<string, unknown> }) =>
      new SignJWT(body.claims).setProtectedHeader({ alg: 'EdDSA', kid, typ: MESSAGE_TYPES.inquiry }).sign(privateKey);

    const rogue = fresh();
    await injectIntoHub(context, {
      what: 'an inquiry signed by the rogue agency’s key',
      jobName: 'inquiry',
      data: { token: await sign('rogue-agency:sig:AAAAAAAAAAAAAAAA', rogue) },
      jobId: rogue.inquiryId,
      inquiryId: rogue.inquiryId,
      expectedReason: 'unknown-sender',
    });

    const borrowed = fresh();
    await injectIntoHub(context, {
      what: `an inquiry signed by the rogue key but naming pension’s key id (${pensionKid})`,
      jobName: 'inquiry',
      data: { token: await sign(pensionKid, borrowed) },
      jobId: borrowed.inquiryId,
      inquiryId: borrowed.inquiryId,
      expectedReason: 'bad-signature',
    });

    const delivered = await context.databases.hub.exchangeCountForInquiries([altered, unsigned, rogue, borrowed].map((forged) => forged.inquiryId));
    context.check('the hub opened no exchange for any forged inquiry', delivered === 0, `${delivered} exchanges for the 4 forged inquiry ids`);
    return context.conclude();
  },
};
