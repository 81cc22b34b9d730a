import { generateKeyPair, exportJWK } from 'jose';
import type { Scenario } from '../runner/scenario';
import { certificateStatus, issueCard, loginChallenge } from './card-support';
import { allRefused, describeKnocks, knock } from './door-support';
import { newCitizen } from './scenario-support';
import { CODE_ISSUER, MYNA_PORTAL, TAX_AGENCY } from '@myna/protocol';

export const accountTakeoverRefused: Scenario = {
  name: 'account-takeover-refused',
  claim: 'Knowing a person’s My Number gets an outsider nothing: no card in their name, no way into their portal, not even whether they are registered.',
  proves:
    'with only a My Number, an outsider cannot have a card certified for a key it chose (anonymous, with a made-up token, or with an agency officer’s token), cannot sign in, cannot call code issuance, and learns nothing from the register; the holder’s real card stays valid and unsuperseded',
  async run(context) {
    const citizen = await newCitizen(context, 'a citizen', { at: [TAX_AGENCY] });
    const card = await issueCard(context, citizen, 'the citizen');

    context.say('attacker', `knows the citizen’s My Number, makes a key pair of its own, and asks code-issuer to certify it as the citizen’s card`);
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const { kty, crv, x } = await exportJWK(publicKey);
    const asked = await knock(context, CODE_ISSUER, 'POST', '/cards', {
      body: { myNumber: citizen.myNumber, publicKey: { kty, crv, x } },
      otherService: { service: TAX_AGENCY, role: 'agency-officer' },
    });
    context.check('code-issuer certifies no key for an outsider, nor for another service’s operator', allRefused(asked), describeKnocks(asked));

    const register = await knock(context, CODE_ISSUER, 'POST', '/citizens/batch', {
      body: { citizens: [{ name: citizen.name, address: citizen.address, dateOfBirth: citizen.dateOfBirth, gender: citizen.gender, myNumber: citizen.myNumber }] },
    });
    const count = await knock(context, CODE_ISSUER, 'GET', '/citizens/count');
    context.check(
      'the register answers no outsider: registering the number again, or counting, says nothing of who is registered',
      allRefused([...register, ...count]) && [...register, ...count].every((attempt) => !attempt.text.includes(citizen.myNumber) && !/duplicate|already registered/.test(attempt.text)),
      `${describeKnocks(register)} | ${describeKnocks(count)}`,
    );

    const issuance = await context.federation.request(CODE_ISSUER, 'POST', '/code-issuance', { body: { request: 'not.a.sealed.request' } });
    context.check('code issuance answers services only, by their signed requests', issuance.status === 401, `POST /code-issuance without a service signature: ${issuance.status} ${String(issuance.body.code ?? '')}`);

    const challenge = await loginChallenge(context);
    const signIn = await context.federation.request(MYNA_PORTAL, 'POST', '/login', {
      body: { challengeId: challenge.challengeId, certificate: 'eyJ.not.a.certificate', signature: 'A'.repeat(86) },
      headers: { cookie: challenge.binding },
    });
    context.check('the portal signs no one in without a certificate the issuer made for a chip', signIn.status === 401, `POST /login with no real card: ${signIn.status} ${String(signIn.body.code ?? '')}`);

    const status = await certificateStatus(context, card.certificateSerial);
    const superseded = (await context.databases.issuer.cardEvents(card.certificateSerial)).filter((kind) => kind === 'superseded').length;
    context.check('the citizen’s real card is still valid and was not superseded', status === 'valid' && superseded === 0, `certificate ${card.certificateSerial}: ${status}; supersessions recorded: ${superseded}`);
    return context.conclude();
  },
};
