import { randomBytes } from 'node:crypto';
import type { Scenario } from '../runner/scenario';
import { chipOutcome, completeLogin, describeSignIn, issueCard, loginChallenge, signIn, wrongPin } from './card-support';
import { newCitizen } from './scenario-support';
import { MYNA_PORTAL, TAX_AGENCY } from '@myna/protocol';

export const cardAloneUseless: Scenario = {
  name: 'card-alone-useless',
  claim: 'A lost card alone is useless: without the PIN the chip signs nothing, and what can be read off the card (its face, its certificate) does not sign anyone in.',
  proves:
    'someone holding the card but not the PIN cannot sign in: wrong PINs are refused by the chip, the readable certificate with a made-up signature is refused, and a signature captured from the holder’s own sign-in cannot be replayed',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen');
    const card = await issueCard(context, citizen, 'the citizen');

    const holder = await signIn(context, card, card.pin);
    context.say('citizen', `signs in at the portal with the card and the PIN: ${describeSignIn(holder)}`);
    context.check('the holder, with card and PIN, signs in (control)', holder.status === 200 && Boolean(holder.cookie), describeSignIn(holder));

    context.say('attacker', 'finds the card; reads it without the PIN (as any reader can): card face, certificate, public key');
    const read = await chipOutcome(() => card.chip.readContents());
    if (!read.ok) throw new Error(`the chip could not be read: ${read.message}`);
    const certificate = read.value.userAuthentication.certificate;

    const challenge = await loginChallenge(context);
    const forged = await completeLogin(context, { challengeId: challenge.challengeId, certificate, signature: randomBytes(64).toString('base64url') }, challenge.binding);
    context.say(MYNA_PORTAL, `given the card's certificate and a signature the attacker made up: ${describeSignIn(forged)}`);
    context.check('the certificate read off the card, with a made-up signature, signs no one in', forged.status === 401 && forged.reason === 'signature-invalid', describeSignIn(forged));

    const guesses = [wrongPin(card.pin, 1111), wrongPin(card.pin, 2222)];
    const attempts = [];
    for (const guess of guesses) attempts.push(await signIn(context, card, guess));
    const pinStatus = await card.chip.pinStatus();
    context.say('card', `refuses two PIN guesses: ${attempts.map(describeSignIn).join('; ')}; ${pinStatus.retriesLeft} try left`);
    context.check(
      'wrong PINs make the chip refuse to sign, so nothing reaches the portal',
      attempts.every((attempt) => attempt.chipRefused?.startsWith('pin-incorrect') && attempt.status === 0) && pinStatus.retriesLeft === 1,
      `${attempts.map(describeSignIn).join('; ')}; retries left: ${pinStatus.retriesLeft}`,
    );

    const replayed = await completeLogin(context, holder.signed!, holder.binding!);
    context.say(MYNA_PORTAL, `given the holder's earlier challenge, certificate and signature again: ${describeSignIn(replayed)}`);
    context.check('a sign-in captured from the holder cannot be replayed', replayed.status === 401 && replayed.reason === 'challenge-invalid', describeSignIn(replayed));

    const fresh = await loginChallenge(context);
    const transplanted = await completeLogin(context, { challengeId: fresh.challengeId, certificate, signature: holder.signed!.signature }, fresh.binding);
    context.check(
      'the holder’s captured signature does not answer a new challenge',
      transplanted.status === 401 && transplanted.reason === 'signature-invalid',
      describeSignIn(transplanted),
    );

    const again = await signIn(context, card, card.pin);
    context.check(
      'the holder’s right PIN still works, and resets the count of wrong tries',
      again.status === 200 && (await card.chip.pinStatus()).retriesLeft === 3,
      `${describeSignIn(again)}; retries left: ${(await card.chip.pinStatus()).retriesLeft}`,
    );

    // The card face carries what an enrolment form does: the agencies' operator APIs answer their own operators only.
    const { name, address, dateOfBirth, gender, myNumber } = read.value.cardFace;
    const enrolment = await context.federation.request<{ code?: string; personId?: string }>(TAX_AGENCY, 'POST', '/persons', { body: { name, address, dateOfBirth, gender, myNumber } });
    context.say('attacker', `takes the facts printed on the card to tax's enrolment API, with no credentials: ${enrolment.status} ${enrolment.body.code ?? ''}`);
    context.check(
      'the card face opens no agency’s operator API: enrolling with it, without an operator’s credentials, is refused',
      enrolment.status === 401 && enrolment.body.personId === undefined,
      `POST tax-agency /persons answered ${enrolment.status} ${enrolment.body.code ?? ''}`,
    );
    return context.conclude();
  },
};
