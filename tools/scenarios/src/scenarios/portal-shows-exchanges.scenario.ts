import type { Scenario, ScenarioContext } from '../runner/scenario';
import { pollUntil } from '../runner/poll';
import { describeSignIn, issueCard, signIn } from './card-support';
import { exchange, newCitizen, portalRecordOf } from './scenario-support';
import { HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

interface ShownRecord {
  handle: string;
  outcome: string;
  text: string;
}

/**
 * The rows of the records page: each `<tr>` carrying a `data-handle` (the portal's own handle), with
 * its outcome from `data-status` or `class` (permitted / denied / unanswered), else from its text.
 */
export function shownRecords(html: string): ShownRecord[] {
  const rows: ShownRecord[] = [];
  for (const match of html.matchAll(/<tr\b([^>]*)>([\s\S]*?)<\/tr>/g)) {
    const attributes = match[1];
    const handle = /data-handle="([^"]+)"/.exec(attributes)?.[1];
    if (!handle) continue;
    const text = match[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    const marked = /(?:data-status|class)="[^"]*\b(permitted|denied|unanswered)\b/.exec(attributes)?.[1];
    rows.push({ handle, outcome: marked ?? textualOutcome(text), text });
  }
  return rows;
}

function textualOutcome(text: string): string {
  if (/\bdenied\b/i.test(text)) return 'denied';
  if (/\bnot answered\b/i.test(text)) return 'unanswered';
  return 'permitted';
}

async function page(context: ScenarioContext, path: string, cookie: string): Promise<string> {
  const answer = await context.federation.request(MYNA_PORTAL, 'GET', path, { headers: { cookie } });
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}${answer.headers.get('location') ? ` → ${answer.headers.get('location')}` : ''}`);
  return answer.text;
}

export const portalShowsExchanges: Scenario = {
  name: 'portal-shows-exchanges',
  claim:
    'A citizen can see every exchange about them in MynaPortal — when, who asked, who answered, which item, which rule, permitted or denied — and what each agency holds about them; and no one else’s.',
  proves:
    'signed in with card and PIN, the citizen’s records page lists exactly their exchanges (two permitted, one denied) and not another citizen’s; "my information" shows what each agency holds; without a session the pages redirect to sign-in',
  async run(context) {
    const citizen = await newCitizen(context, 'the citizen');
    const other = await newCitizen(context, 'another citizen', { at: [TAX_AGENCY, PENSION_AGENCY] });
    const card = await issueCard(context, citizen, 'the citizen');

    // Asked together: the hub's mix holds each for a round, so waiting for one at a time would take four.
    const [theirs, notTheirs] = await Promise.all([
      Promise.all([
        exchange(context, PENSION_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' }),
        exchange(context, HEALTH_AGENCY, citizen, { provider: PENSION_AGENCY, rule: 'R-HEA-PEN-BENEFIT', item: 'benefit-status' }),
        exchange(context, TAX_AGENCY, citizen, { provider: HEALTH_AGENCY, rule: 'R-TAX-HEA-CLAIMS', item: 'medical-claims' }),
      ]),
      exchange(context, PENSION_AGENCY, other, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' }, 'another citizen'),
    ]);
    const handles = new Map<string, string>();
    for (const [requester, settled] of [[PENSION_AGENCY, theirs[0]], [HEALTH_AGENCY, theirs[1]], [TAX_AGENCY, theirs[2]], [PENSION_AGENCY, notTheirs]] as const) {
      handles.set(settled.id, (await portalRecordOf(context, requester, settled.id)).handle);
    }
    context.say(MYNA_PORTAL, 'has received an exchange record for each, addressed by its own code for each citizen');

    const anonymous = await context.federation.request(MYNA_PORTAL, 'GET', '/records');
    context.check(
      'without a session the records page is not shown',
      anonymous.status === 303 && anonymous.headers.get('location') === '/login',
      `GET /records answered ${anonymous.status} → ${anonymous.headers.get('location') ?? 'nowhere'}`,
    );

    const session = await signIn(context, card, card.pin);
    context.say('citizen', `signs in with the card and the PIN: ${describeSignIn(session)}`);
    if (!session.cookie) throw new Error(`sign-in failed: ${describeSignIn(session)}`);

    const shown = shownRecords(await page(context, '/records', session.cookie));
    context.say('citizen', `sees ${shown.length} exchange(s): ${shown.map((row) => `${row.outcome}: ${row.text}`).join(' | ')}`);
    const expected = theirs.map((settled) => ({ handle: handles.get(settled.id)!, outcome: settled.status === 'denied' ? 'denied' : 'permitted', rule: settled.rule }));
    const missing = expected.filter((want) => !shown.some((row) => row.handle === want.handle && row.outcome === want.outcome && row.text.includes(want.rule)));
    context.check(
      'the records page shows every exchange about the citizen, with who asked, who answered, the item, the rule and the outcome',
      missing.length === 0 && expected.length === 3,
      missing.length === 0
        ? expected.map((want) => `${want.rule}: ${want.outcome}`).join('; ')
        : `missing or wrong: ${missing.map((want) => `${want.rule} (${want.outcome})`).join(', ')}`,
    );
    context.check(
      'it shows no one else’s exchanges',
      !shown.some((row) => row.handle === handles.get(notTheirs.id)) && shown.every((row) => expected.some((want) => want.handle === row.handle)),
      `${shown.length} rows, all the citizen’s; the other citizen’s exchange (portal handle ${handles.get(notTheirs.id)}) is not among them`,
    );

    // What each agency holds: the portal asks each under its self-disclosure rule.
    const csrf = /name="csrf" value="([A-Za-z0-9_-]+)"/.exec(await page(context, '/my-information', session.cookie))?.[1] ?? '';
    const asked = await context.federation.request(MYNA_PORTAL, 'POST', '/my-information', { headers: { cookie: session.cookie }, body: { csrf }, form: true });
    context.say('citizen', `asks the agencies what they hold (POST /my-information answered ${asked.status})`);
    const information = await pollUntil(
      async () => {
        const html = await page(context, '/my-information', session.cookie!);
        return html.includes('data-pending') || !html.includes('data-provider') ? undefined : html;
      },
      { timeoutMs: 180_000, what: 'every agency’s self-disclosure answer' },
    );
    const sections = [...information.matchAll(/<section class="agency" data-provider="([^"]+)" data-status="([^"]+)"/g)].map((match) => `${match[1]}: ${match[2]}`);
    const income = `¥${citizen.incomeYen.toLocaleString('en-US')}`;
    context.say('citizen', `sees: ${sections.join(', ')}`);
    context.check(
      'the citizen sees what each agency holds about them, tax’s income record among it',
      ['tax-agency: answered', 'pension-agency: answered', 'health-agency: answered'].every((section) => sections.includes(section)) && information.includes(income),
      `${sections.join(', ')}; tax’s income ${income} ${information.includes(income) ? 'shown' : 'NOT shown'}`,
    );
    const page2 = await page(context, '/records', session.cookie);
    context.check(
      'nothing on the citizen’s pages shows their My Number: the portal never had it',
      !page2.includes(citizen.myNumber) && !information.includes(citizen.myNumber),
      'the records page and the my-information page searched',
    );
    return context.conclude();
  },
};
