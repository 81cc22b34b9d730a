import { IcChip } from '@myna/card';
import type { Scenario } from '../runner/scenario';
import { chipOutcome, describeSignIn, issueCard, signIn } from './card-support';
import { newCitizen } from './scenario-support';
import { TAX_AGENCY } from '@myna/protocol';

export const chipTamper: Scenario = {
  name: 'chip-tamper',
  claim: 'A chip that is tampered with destroys itself: its key and contents are gone, and every chip operation fails from then on.',
  proves: 'after tampering, reading, PIN status, signing with the right PIN and a PIN reset all fail, in this chip object and in a fresh one over the same storage; nothing but the fact remains; no sign-in is possible',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen', { at: [TAX_AGENCY] });
    const card = await issueCard(context, citizen, 'the citizen');
    const before = await signIn(context, card, card.pin);
    context.check('before tampering, card and PIN sign the holder in (control)', before.status === 200, describeSignIn(before));

    context.say('attacker', 'probes the chip (a side-channel or decapping attempt): the chip detects it');
    await card.chip.tamper();

    const probe = new TextEncoder().encode('probe');
    const operations: [string, () => Promise<unknown>][] = [
      ['read the contents', () => card.chip.readContents()],
      ['read the PIN status', () => card.chip.pinStatus()],
      ['sign with the right PIN', () => card.chip.signForAuthentication(card.pin, probe)],
      ['begin a PIN reset', () => card.chip.beginPinReset()],
      ['read it again in a new reader', async () => (await IcChip.open(card.store, card.chip.cardId)).readContents()],
    ];
    const results: string[] = [];
    for (const [what, operation] of operations) {
      const outcome = await chipOutcome(operation);
      results.push(`${what}: ${outcome.ok ? 'WORKED' : outcome.reason}`);
    }
    context.say('card', results.join('; '));
    context.check('every chip operation fails, for good', results.every((result) => result.endsWith('chip-tampered')), results.join('; '));

    const record = JSON.parse(card.store.dump()) as { tampered: boolean; key: string | null; state: string | null };
    context.check(
      'nothing is left in the chip’s storage but the fact',
      record.tampered && record.key === null && record.state === null,
      `stored record: tampered ${record.tampered}, key ${record.key === null ? 'gone' : 'present'}, contents ${record.state === null ? 'gone' : 'present'}`,
    );
    const after = await signIn(context, card, card.pin);
    context.check('no sign-in is possible with the tampered card', after.status === 0 && after.chipRefused?.startsWith('chip-tampered') === true, describeSignIn(after));
    return context.conclude();
  },
};
