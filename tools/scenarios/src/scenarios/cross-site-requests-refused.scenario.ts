import type { Scenario, ScenarioContext } from '../runner/scenario';
import { issueCard, signIn } from './card-support';
import { newCitizen } from './scenario-support';
import { MYNA_PORTAL, TAX_AGENCY } from '@myna/protocol';

/** What a browser adds to a form posted from an attacker's page on another site. */
const FROM_ANOTHER_SITE = { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' };

interface WalletCard {
  cardId: string;
  triesLeft: number;
}

/** The cards the reader offers, with their PIN tries left, read off its own page as a person would. */
async function wallet(context: ScenarioContext, readerUrl: string): Promise<WalletCard[]> {
  const page = await fetch(`${readerUrl}/`, { signal: AbortSignal.timeout(10_000) }).then((response) => response.text());
  return [...page.matchAll(/<li class="card" data-card-id="([^"]+)" data-state="ready">[\s\S]*?(\d) PIN tries left/g)].map((match) => ({ cardId: match[1], triesLeft: Number(match[2]) }));
}

export const crossSiteRequestsRefused: Scenario = {
  name: 'cross-site-requests-refused',
  claim: 'A web page elsewhere cannot act for the citizen: it can neither type PINs into their card reader (and lock their card) nor send the portal’s forms in their session.',
  proves:
    'forms posted to the card reader from another site, or without the token of the reader’s own page, are refused before the chip is touched, and the card’s PIN tries are unchanged; the portal refuses a signed-in citizen’s forms (ask the agencies, sign out) when they come from another site or lack the page’s token, and nothing is asked',
  async run(context) {
    const readerUrl = context.target.cardReaderUrl;
    if (!readerUrl) {
      context.check('the federation under test has a card reader to attack', false, 'no card reader: set CARD_READER_URL (npm run demo starts one)');
      return context.conclude();
    }
    const [target] = await wallet(context, readerUrl);
    if (!target) {
      context.check('the card reader holds a card that can still sign', false, `${readerUrl} lists no ready card (npm run demo puts the demo citizens’ cards in it)`);
      return context.conclude();
    }
    context.say('attacker', `puts a page on its own site that posts three wrong PINs for card ${target.cardId} to the citizen’s card reader (${readerUrl})`);
    const answers: number[] = [];
    for (const pin of ['0000', '1111', '2222']) {
      const form = new URLSearchParams({ cardId: target.cardId, pin, rp: MYNA_PORTAL, challenge: '00000000-0000-4a00-8000-000000000000', toBeSigned: 'AAAA', return: 'https://attacker.example/' });
      const fromSite = await fetch(`${readerUrl}/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...FROM_ANOTHER_SITE }, body: form, redirect: 'manual' });
      const withoutToken = await fetch(`${readerUrl}/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
      answers.push(fromSite.status, withoutToken.status);
    }
    const after = (await wallet(context, readerUrl)).find((card) => card.cardId === target.cardId);
    context.check('the card reader refuses forms from another site, and forms without its own page’s token', answers.every((status) => status === 403), `answers: ${answers.join(', ')}`);
    context.check(
      'the card’s PIN tries are untouched: the chip never saw the attacker’s PINs',
      after?.triesLeft === target.triesLeft,
      `${target.cardId}: ${target.triesLeft} tries left before, ${after?.triesLeft ?? 'none'} after`,
    );

    const citizen = await newCitizen(context, 'a citizen', { at: [TAX_AGENCY] });
    const card = await issueCard(context, citizen, 'the citizen');
    const session = await signIn(context, card, card.pin);
    if (!session.cookie) throw new Error('the citizen could not sign in');
    const asked = async () => context.databases.portal.selfDisclosureCount();
    const before = await asked();
    const ask = await context.federation.request(MYNA_PORTAL, 'POST', '/my-information', { headers: { cookie: session.cookie, ...FROM_ANOTHER_SITE }, body: {}, form: true });
    const askNoToken = await context.federation.request(MYNA_PORTAL, 'POST', '/my-information', { headers: { cookie: session.cookie }, body: {}, form: true });
    const logout = await context.federation.request(MYNA_PORTAL, 'POST', '/logout', { headers: { cookie: session.cookie, ...FROM_ANOTHER_SITE }, body: {}, form: true });
    const stillIn = await context.federation.request(MYNA_PORTAL, 'GET', '/records', { headers: { cookie: session.cookie } });
    context.check(
      'the portal refuses the citizen’s forms sent from another site or without the page’s token, and keeps the session',
      ask.status === 403 && askNoToken.status === 403 && logout.status === 403 && stillIn.status === 200 && (await asked()) === before,
      `ask the agencies from another site: ${ask.status}; without the token: ${askNoToken.status}; sign out from another site: ${logout.status}; records still open: ${stillIn.status}; self-disclosure inquiries ${before} → ${await asked()}`,
    );
    return context.conclude();
  },
};
