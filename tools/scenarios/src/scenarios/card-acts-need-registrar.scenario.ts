import type { Scenario } from '../runner/scenario';
import { callHotline, certificateStatus, issueCard } from './card-support';
import { allRefused, describeKnocks, knock, type Knock } from './door-support';
import { newCitizen } from './scenario-support';
import { CODE_ISSUER, EXCHANGE_HUB, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

export const cardActsNeedRegistrar: Scenario = {
  name: 'card-acts-need-registrar',
  claim: 'A card’s life is a counter workflow: only a registrar revokes it, lifts a suspension or authorizes a new PIN; the public hotline only suspends, and only for someone who names the holder.',
  proves:
    'without the registrar role (anonymous, a made-up token, an agency officer, a hub auditor) revoking, resuming and PIN-resetting someone else’s card are refused; the hotline refuses a serial alone and answers a wrong name exactly as a right one, suspending nothing; the card stays valid, and its events show nothing happened',
  async run(context) {
    const citizen = await newCitizen(context, 'a citizen', { at: [TAX_AGENCY] });
    const card = await issueCard(context, citizen, 'the citizen');
    const serial = card.certificateSerial;

    context.say('attacker', `knows the serial of someone else’s card (${serial}) and tries every act of the counter`);
    const reset = await card.chip.beginPinReset();
    const tries: [string, Knock[]][] = [
      ['revoke', await knock(context, CODE_ISSUER, 'POST', `/cards/${serial}/revoke`, { body: { reason: 'lost-or-stolen' }, otherService: { service: TAX_AGENCY, role: 'agency-officer' } })],
      ['lift a suspension', await knock(context, CODE_ISSUER, 'POST', `/cards/${serial}/resume`, { otherService: { service: EXCHANGE_HUB, role: 'hub-auditor' } })],
      ['authorize a PIN reset', await knock(context, CODE_ISSUER, 'POST', `/cards/${serial}/pin-reset`, { body: { keyThumbprint: reset.keyThumbprint, nonce: reset.nonce }, otherService: { service: PENSION_AGENCY, role: 'agency-officer' } })],
    ];
    for (const [act, knocks] of tries) context.check(`no one but a registrar can ${act}`, allRefused(knocks), describeKnocks(knocks));

    const serialAlone = await context.federation.request(CODE_ISSUER, 'POST', `/cards/${serial}/suspend`, { body: {} });
    const wrongName = await callHotline(context, serial, { name: `${citizen.name} Jr`, dateOfBirth: citizen.dateOfBirth });
    const wrongBirth = await callHotline(context, serial, { name: citizen.name, dateOfBirth: '1901-01-01' });
    context.check(
      'the hotline needs the holder’s name and date of birth, not the serial alone',
      serialAlone.status === 400,
      `POST /cards/…/suspend with the serial only: ${serialAlone.status} ${String(serialAlone.body.code ?? '')}`,
    );
    context.check(
      'a caller who cannot name the holder suspends nothing, and hears the same answer as one who can',
      wrongName.status === 202 && wrongBirth.status === 202 && wrongName.text === wrongBirth.text,
      `wrong name: ${wrongName.status}; wrong birth date: ${wrongBirth.status}; same answer: ${wrongName.text === wrongBirth.text}`,
    );

    const status = await certificateStatus(context, serial);
    const events = await context.databases.issuer.cardEvents(serial);
    context.check(
      'the card is still valid, and its life shows only its issuance',
      status === 'valid' && events.join() === 'issued',
      `certificate ${serial}: ${status}; events: ${events.join(', ')}`,
    );
    return context.conclude();
  },
};
