import { AGENCIES, type Agency, type Service } from '@myna/protocol';
import { joinAttackPicture } from '../analysis/join-attack-picture';
import { runJoinAttack, type ColumnJoin, type JoinCategory, type PartyDump, type QuasiIdentifierJoin } from '../analysis/join-attack';
import { describeScan } from '../federation/databases';
import type { Scenario } from '../runner/scenario';
import { agencyCodeOf, exchange, newCitizen, shortCode, type EnrolledCitizen } from './scenario-support';

/** Every party that keeps people under its own code: the three agencies and the portal. */
const DUMPED: Service[] = [...AGENCIES, 'myna-portal'];
const FULL_QUASI_IDENTIFIER = ['contact_address', 'contact_date_of_birth', 'contact_name'];

const describeJoin = (join: ColumnJoin) =>
  `${join.left.party} ${join.left.table}.${join.left.column} = ${join.right.party} ${join.right.table}.${join.right.column}: ${join.linkedPersons} persons linked (${join.sharedValues} shared values)`;

const describeQuasi = (join: QuasiIdentifierJoin) =>
  `${join.left.party} × ${join.right.party} on ${join.columns.map((column) => column.replace(/^contact_/, '')).join(' + ')}: ${join.linkedPersons} persons linked`;

function linkedPairs(joins: readonly ColumnJoin[], category: JoinCategory): number {
  return joins.filter((join) => join.category === category).reduce((sum, join) => sum + join.linkedPersons, 0);
}

export const crossAgencyJoinAttack: Scenario = {
  name: 'cross-agency-join-attack',
  claim:
    'Codes stop joins on identifiers: with full dumps of every agency database, no column pair links one person across agencies on an identifier, because one person’s codes differ everywhere. Quasi-identifiers (name, birth date, address) are another matter, and are measured honestly.',
  proves:
    'every column pair across every pair of agency (and portal) dumps links 0 persons on an identifier; one person’s codes differ; quasi-identifier and exchange-id joins are measured and reported with the data profile',
  async run(context) {
    // Two data profiles side by side: data minimization (the default), and agencies that keep contact data.
    const minimal: EnrolledCitizen[] = [];
    const withContact: EnrolledCitizen[] = [];
    for (let index = 1; index <= 2; index++) minimal.push(await newCitizen(context, `minimal-profile citizen ${index}`));
    for (let index = 1; index <= 2; index++) {
      withContact.push(await newCitizen(context, `contact-profile citizen ${index}`, { keepContactDataAt: ['tax-agency', 'pension-agency'] }));
    }
    // One exchange, so that the exchange id both sides keep is measured too.
    const asked = await exchange(context, 'pension-agency', minimal[0], { provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income' }, 'minimal-profile citizen 1');

    const subject = minimal[0];
    const codes = new Map<Agency, string>();
    for (const agency of AGENCIES) codes.set(agency, await agencyCodeOf(context, agency, subject.personIds[agency]!));
    context.check(
      'one person’s codes differ at every agency',
      new Set(codes.values()).size === codes.size,
      `minimal-profile citizen 1 is ${[...codes].map(([agency, code]) => `${shortCode(code)} at ${agency}`).join(', ')}`,
    );

    context.say('attacker', `obtains full dumps of the databases of ${DUMPED.join(', ')} (insiders at every agency, colluding)`);
    const dumps: PartyDump[] = [];
    for (const party of DUMPED) dumps.push({ party, tables: await context.databases.dump(party) });

    for (const party of DUMPED) {
      const scan = await context.databases.scan(party);
      context.check(`there is no identifier to join on in ${party}'s dump (no column or value shaped like a My Number, residence code or serial)`, scan.findings.length === 0, describeScan(scan), scan);
    }

    context.say('attacker', 'tries every column of every dump against every column of every other dump, and every combination of name, address and birth date');
    const attack = runJoinAttack(dumps);
    context.exhibit(joinAttackPicture(dumps, attack));
    context.measure(
      'the dumps joined',
      `${attack.databases.map((database) => `${database.party}: ${database.tables} tables, ${database.columns} columns, ${database.rows} rows`).join('; ')}; ${attack.columnPairsTried} column pairs tried`,
      attack.databases,
    );

    const identifierJoins = attack.joins.filter((join) => join.category === 'identifier' && join.linkedPersons > 0);
    context.check(
      'joins on identifiers link no one',
      identifierJoins.length === 0,
      identifierJoins.length === 0
        ? `0 persons linked: of ${attack.columnPairsTried} column pairs, none that holds codes, person ids or anything shaped like a national identifier shares a value with another database`
        : identifierJoins.map(describeJoin).join('; '),
      identifierJoins.map(({ linked: _linked, ...join }) => join),
    );

    const codeColumns = attack.joins.filter(
      (join) => ['agency_code', 'portal_code'].includes(join.left.column) && ['agency_code', 'portal_code'].includes(join.right.column),
    );
    context.check(
      'joining the agencies’ code columns directly links no one',
      codeColumns.every((join) => join.linkedPersons === 0),
      codeColumns.length === 0 ? 'the code columns share no value' : codeColumns.map(describeJoin).join('; '),
    );

    // Quasi-identifiers: measured, with the profile that produced them (DESIGN §4).
    for (const profile of attack.profiles) {
      context.measure(`${profile.party}'s data profile`, `${profile.profile} (${profile.persons} persons)`, profile);
    }
    const quasi = attack.quasiIdentifierJoins.filter((join) => join.linkedPersons > 0 || join.columns.length === 3);
    context.measure(
      'joins on quasi-identifiers (name, address, birth date)',
      quasi.length === 0 ? 'no database keeps quasi-identifiers, so nothing links' : quasi.map(describeQuasi).join('; '),
      attack.quasiIdentifierJoins.map(({ linked: _linked, ...join }) => join),
    );
    const full = attack.quasiIdentifierJoins.find(
      (join) => join.columns.join() === FULL_QUASI_IDENTIFIER.join() && join.left.party === 'tax-agency' && join.right.party === 'pension-agency',
    );
    const linkedFull = new Set((full?.linked ?? []).map(([tax, pension]) => `${tax}|${pension}`));
    const linkedContact = withContact.filter((citizen) => linkedFull.has(`${citizen.personIds['tax-agency']}|${citizen.personIds['pension-agency']}`));
    const linkedMinimal = minimal.filter((citizen) =>
      attack.quasiIdentifierJoins.some((join) => join.linked.some(([left, right]) => Object.values(citizen.personIds).includes(left) && Object.values(citizen.personIds).includes(right))),
    );
    context.check(
      'the attack is not blind: name + address + birth date link the citizens whose contact data tax and pension both keep, and no one whose data was minimized',
      linkedContact.length === withContact.length && linkedMinimal.length === 0,
      `${linkedContact.length} of ${withContact.length} contact-profile citizens linked between tax and pension; ${linkedMinimal.length} of ${minimal.length} minimal-profile citizens linked by any quasi-identifier`,
    );

    // The exchange id: both sides of an exchange (and the portal) keep it.
    const exchangeJoins = attack.joins.filter((join) => join.category === 'exchange-reference' && join.linkedPersons > 0);
    context.measure(
      'joins on exchange ids (the requester, the provider and the portal each keep the id of an exchange)',
      exchangeJoins.length === 0
        ? 'no person is linked through an exchange id'
        : `${exchangeJoins.map(describeJoin).join('; ')}. Colluding agencies can link the people they exchanged about, one exchange at a time; the exchange of this run (${asked.exchangeId ?? 'none'}) is among them`,
      exchangeJoins.map(({ linked: _linked, ...join }) => join),
    );
    const attributeJoins = attack.joins.filter((join) => join.category === 'attribute' && join.linkedPersons > 0);
    context.measure(
      'joins on other columns (amounts, answers, dates: a value held by exactly one person on each side links them, whether by coincidence or because both hold the same answer)',
      attributeJoins.length === 0
        ? 'no other column links anyone'
        : `${linkedPairs(attack.joins, 'attribute')} one-to-one matches over ${attributeJoins.length} column pairs, e.g. ${attributeJoins.slice(0, 5).map(describeJoin).join('; ')}`,
      attributeJoins.map(({ linked: _linked, ...join }) => join),
    );
    return context.conclude();
  },
};
