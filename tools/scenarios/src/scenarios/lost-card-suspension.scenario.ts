import type { Scenario } from '../runner/scenario';
import { callHotline, certificateStatus, describeSignIn, issueCard, signIn } from './card-support';
import { newCitizen } from './scenario-support';
import { CODE_ISSUER, MYNA_PORTAL, TAX_AGENCY } from '@myna/protocol';

export const lostCardSuspension: Scenario = {
  name: 'lost-card-suspension',
  claim: 'A lost card can be suspended at once, at any time, through the issuer’s hotline: from then on its certificate fails every sign-in, even with the right PIN.',
  proves:
    'the hotline suspends a certificate with neither card nor PIN, given the holder’s name and birth date, and answers the same when they do not match; code-issuer reports it suspended; the very next sign-in, with card and right PIN, is refused; the citizen sees the suspension in the portal',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen', { at: [TAX_AGENCY] });
    const card = await issueCard(context, citizen, 'the citizen');
    const before = await signIn(context, card, card.pin);
    context.check('with card and PIN the holder signs in (control)', before.status === 200, describeSignIn(before));

    const prankster = await callHotline(context, card.certificateSerial, { name: 'Someone Else', dateOfBirth: card.holder.dateOfBirth });
    const afterPrank = await certificateStatus(context, card.certificateSerial);
    context.say('attacker', `calls the hotline with the serial but the wrong name: ${prankster.status} “${prankster.body.message ?? ''}”`);

    context.say('citizen', `loses the card and calls the suspension hotline, quoting certificate ${card.certificateSerial}, name and date of birth: no card, no PIN needed`);
    const suspendedAt = Date.now();
    const suspended = await callHotline(context, card.certificateSerial, card.holder);
    context.say(CODE_ISSUER, `answers ${suspended.status}: “${suspended.body.message ?? ''}”`);
    const status = await certificateStatus(context, card.certificateSerial);
    const row = await context.databases.issuer.certificate(card.certificateSerial);
    context.check(
      'the hotline answers a wrong name exactly as a right one, and suspends nothing for it',
      prankster.status === 202 && JSON.stringify(prankster.body) === JSON.stringify(suspended.body) && afterPrank === 'valid',
      `wrong name: ${prankster.status}, certificate still ${afterPrank}; right name: ${suspended.status}, same answer`,
    );
    context.check(
      'the hotline suspends the certificate at once',
      suspended.status === 202 && status === 'suspended' && row?.status === 'suspended' && row.suspended_at !== null,
      `POST /cards/…/suspend answered ${suspended.status}; the counter's status check says ${status}; code-issuer's database: ${row?.status}, since ${row?.suspended_at?.toISOString()}`,
    );

    context.say('attacker', 'has the card and has watched the PIN being typed');
    const after = await signIn(context, card, card.pin);
    const elapsed = Date.now() - suspendedAt;
    context.say(MYNA_PORTAL, `checks the certificate's status at code-issuer, as on every sign-in: ${describeSignIn(after)}`);
    context.check(
      'the next sign-in with the card and the right PIN is refused as suspended',
      after.status === 403 && after.reason === 'certificate-suspended' && !after.cookie,
      `${describeSignIn(after)}, ${(elapsed / 1000).toFixed(1)} s after the call`,
    );
    return context.conclude();
  },
};
