import { generateKeyPair, SignJWT } from 'jose';
import { CARD_PIN_RESET_TYPE, PIN_TRIES } from '@myna/card';
import type { Scenario } from '../runner/scenario';
import { chipOutcome, describeSignIn, issueCard, randomPin, signIn, wrongPin } from './card-support';
import { newCitizen } from './scenario-support';
import { CODE_ISSUER, TAX_AGENCY } from '@myna/protocol';

export const pinLockout: Scenario = {
  name: 'pin-lockout',
  claim: `The chip locks after ${PIN_TRIES} wrong PINs: from then on even the right PIN fails, and only the issuer can reset it.`,
  proves: `${PIN_TRIES} wrong PINs lock the chip; the right PIN then fails and no sign-in is possible; a reset not signed by code-issuer is refused; code-issuer's reset unlocks it once, and the holder signs in again`,
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen', { at: [TAX_AGENCY] });
    const card = await issueCard(context, citizen, 'the citizen');

    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= PIN_TRIES; attempt++) {
      const signed = await chipOutcome(() => card.chip.signForAuthentication(wrongPin(card.pin, attempt), new TextEncoder().encode('probe')));
      outcomes.push(signed.ok ? 'signed!' : signed.reason);
    }
    const status = await card.chip.pinStatus();
    context.say('card', `wrong PIN ${PIN_TRIES} times: ${outcomes.join(', ')}; now ${status.locked ? 'locked' : `${status.retriesLeft} tries left`}`);
    context.check(
      `${PIN_TRIES} wrong PINs lock the chip`,
      outcomes.join() === [...Array(PIN_TRIES - 1).fill('pin-incorrect'), 'chip-locked'].join() && status.locked && status.retriesLeft === 0,
      `${outcomes.join(', ')}; PIN status ${JSON.stringify(status)}`,
    );

    const right = await signIn(context, card, card.pin);
    context.check('the right PIN no longer works, so no sign-in is possible', right.chipRefused?.startsWith('chip-locked') === true && right.status === 0, describeSignIn(right));

    // A reset only the issuer can authorise: one signed by anyone else is refused.
    const claims = await card.chip.beginPinReset();
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forgedAuthorization = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'code-issuer:sig:forged', typ: CARD_PIN_RESET_TYPE })
      .setIssuer(CODE_ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const forged = await chipOutcome(() => card.chip.resetPin(forgedAuthorization, randomPin()));
    context.say('attacker', `presents a PIN reset it signed itself: ${forged.ok ? 'accepted!' : forged.reason}`);
    context.check('a PIN reset not signed by code-issuer is refused, and the chip stays locked', !forged.ok && forged.reason === 'pin-reset-refused' && (await card.chip.pinStatus()).locked, forged.ok ? 'accepted' : forged.message);

    context.say('citizen', 'goes to the municipal office; the clerk checks the holder in person and asks code-issuer for a reset');
    const reset = await card.chip.beginPinReset();
    const byAnyone = await context.federation.request(CODE_ISSUER, 'POST', `/cards/${card.certificateSerial}/pin-reset`, { body: { keyThumbprint: reset.keyThumbprint, nonce: reset.nonce } });
    context.check('only a registrar at the counter can ask code-issuer for a reset: anyone else is refused', byAnyone.status === 401, `POST /cards/…/pin-reset without credentials answered ${byAnyone.status}`);
    const { body } = await context.federation.request<{ authorization: string }>(CODE_ISSUER, 'POST', `/cards/${card.certificateSerial}/pin-reset`, {
      body: { keyThumbprint: reset.keyThumbprint, nonce: reset.nonce },
      accept: [200],
      as: 'registrar',
    });
    const newPin = wrongPin(card.pin, 5000);
    const accepted = await chipOutcome(() => card.chip.resetPin(body.authorization, newPin));
    const afterReset = await card.chip.pinStatus();
    const again = await signIn(context, card, newPin);
    context.check(
      'code-issuer’s signed reset unlocks the chip with a new PIN, and the holder signs in',
      accepted.ok && !afterReset.locked && afterReset.retriesLeft === PIN_TRIES && again.status === 200,
      `reset ${accepted.ok ? 'accepted' : accepted.message}; PIN status ${JSON.stringify(afterReset)}; ${describeSignIn(again)}`,
    );
    const reused = await chipOutcome(() => card.chip.resetPin(body.authorization, randomPin()));
    context.check('the issuer’s authorization works once', !reused.ok && reused.reason === 'pin-reset-refused', reused.ok ? 'accepted twice' : reused.message);

    const row = await context.databases.issuer.certificate(card.certificateSerial);
    context.measure('code-issuer’s record of the card', `${row?.pin_resets ?? 0} PIN reset(s) authorised for certificate ${card.certificateSerial}`);
    return context.conclude();
  },
};
