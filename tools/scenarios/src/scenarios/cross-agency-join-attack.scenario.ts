import { AGENCIES, type Agency, HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, type Service, TAX_AGENCY } from '@myna/protocol';
import { joinAttackPicture } from '../analysis/join-attack-picture';
import { runJoinAttack, type ColumnJoin, type DumpSource, type JoinCategory, type QuasiIdentifierJoin } from '../analysis/join-attack';
import { runTimingAttack, type ExchangeTable } from '../analysis/timing-attack';
import { describeScan, type Databases } from '../federation/databases';
import type { TimedExchangeRow } from '../federation/service-views';
import type { Scenario, ScenarioContext } from '../runner/scenario';
import { agencyCodeOf, exchange, newCitizen, shortCode, type EnrolledCitizen } from './scenario-support';

/** Every party that keeps people under its own code: the three agencies and the portal. */
const DUMPED: Service[] = [...AGENCIES, MYNA_PORTAL];
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
    'Codes and per-party handles stop joins on identifiers: with full dumps of every agency database and the portal’s, no two share an identifier-like value (code, id, handle, message id, ciphertext, token), because one person’s codes and one exchange’s handles differ everywhere. Quasi-identifiers (name, birth date, address) and stored times are another matter, and are measured honestly.',
  proves:
    'every column pair across every pair of agency (and portal) dumps shares 0 identifier-like values; one person’s codes differ; exchange records have no sequential keys; quasi-identifier joins and the learned-delay timing attack (times and row order, every pair of parties) are measured and reported',
  async run(context) {
    // Two data profiles side by side: data minimization (the default), and agencies that keep contact data.
    const minimal: EnrolledCitizen[] = [];
    const withContact: EnrolledCitizen[] = [];
    for (let index = 1; index <= 2; index++) minimal.push(await newCitizen(context, `minimal-profile citizen ${index}`));
    for (let index = 1; index <= 2; index++) {
      withContact.push(await newCitizen(context, `contact-profile citizen ${index}`, { keepContactDataAt: [TAX_AGENCY, PENSION_AGENCY] }));
    }
    // Exchanges of every rule, so that what each side keeps of them is in the dumps.
    await Promise.all([
      exchange(context, PENSION_AGENCY, minimal[0], { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' }, 'minimal-profile citizen 1'),
      exchange(context, HEALTH_AGENCY, minimal[0], { provider: TAX_AGENCY, rule: 'R-HEA-TAX-INCOME', item: 'annual-income' }, 'minimal-profile citizen 1'),
      exchange(context, HEALTH_AGENCY, minimal[1], { provider: PENSION_AGENCY, rule: 'R-HEA-PEN-BENEFIT', item: 'benefit-status' }, 'minimal-profile citizen 2'),
      exchange(context, TAX_AGENCY, minimal[1], { provider: PENSION_AGENCY, rule: 'R-TAX-PEN-BENEFIT', item: 'annual-benefit' }, 'minimal-profile citizen 2'),
      exchange(context, TAX_AGENCY, withContact[0], { provider: HEALTH_AGENCY, rule: 'R-TAX-HEA-CLAIMS', item: 'medical-claims' }, 'contact-profile citizen 1'),
    ]);
    await context.queues.settle();

    const subject = minimal[0];
    const codes = new Map<Agency, string>();
    for (const agency of AGENCIES) codes.set(agency, await agencyCodeOf(context, agency, subject.personIds[agency]!));
    context.check(
      'one person’s codes differ at every agency',
      new Set(codes.values()).size === codes.size,
      `minimal-profile citizen 1 is ${[...codes].map(([agency, code]) => `${shortCode(code)} at ${agency}`).join(', ')}`,
    );

    context.say('attacker', `obtains full dumps of the databases of ${DUMPED.join(', ')} (insiders at every agency, colluding)`);
    // Read as streams: a seeded federation's dumps (millions of rows) never sit in memory whole.
    const dumps: DumpSource[] = [];
    for (const party of DUMPED) dumps.push(await context.databases.source(party));

    for (const party of DUMPED) {
      const scan = await context.databases.scan(party);
      context.check(`there is no identifier to join on in ${party}'s dump (no column or value shaped like a My Number, residence code or serial)`, scan.findings.length === 0, describeScan(scan), scan);
    }

    context.say('attacker', 'tries every column of every dump against every column of every other dump, and every combination of name, address and birth date');
    const attack = await runJoinAttack(dumps);
    context.exhibit(joinAttackPicture(dumps, attack));
    context.measure(
      'the dumps joined',
      `${attack.databases.map((database) => `${database.party}: ${database.tables} tables, ${database.columns} columns, ${database.rows} rows`).join('; ')}; ${attack.columnPairsTried} column pairs tried`,
      attack.databases,
    );

    const identifierJoins = attack.joins.filter((join) => join.category === 'identifier' && join.sharedValues > 0);
    context.check(
      'no two dumps share an identifier-like value: no code, id, handle, message id, ciphertext or token',
      identifierJoins.length === 0,
      identifierJoins.length === 0
        ? `0 shared: of ${attack.columnPairsTried} column pairs, none that holds codes, ids, handles or anything shaped like an identifier (a UUID, a token, a ciphertext, a long base64url run, a national identifier) shares a value with another database`
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
      (join) => join.columns.join() === FULL_QUASI_IDENTIFIER.join() && join.left.party === TAX_AGENCY && join.right.party === PENSION_AGENCY,
    );
    const linkedFull = new Set((full?.linked ?? []).map(([tax, pension]) => `${tax}|${pension}`));
    const linkedContact = withContact.filter((citizen) => linkedFull.has(`${citizen.personIds[TAX_AGENCY]}|${citizen.personIds[PENSION_AGENCY]}`));
    const linkedMinimal = minimal.filter((citizen) =>
      attack.quasiIdentifierJoins.some((join) => join.linked.some(([left, right]) => Object.values(citizen.personIds).includes(left) && Object.values(citizen.personIds).includes(right))),
    );
    context.check(
      'the attack is not blind: name + address + birth date link the citizens whose contact data tax and pension both keep, and no one whose data was minimized',
      linkedContact.length === withContact.length && linkedMinimal.length === 0,
      `${linkedContact.length} of ${withContact.length} contact-profile citizens linked between tax and pension; ${linkedMinimal.length} of ${minimal.length} minimal-profile citizens linked by any quasi-identifier`,
    );

    await measureTiming(context);
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

/** What each party keeps of its exchanges, with its times in ms and in physical row order, as an auditor reads the dumps. */
const EXCHANGE_TABLES: { party: Service; table: string; read: (databases: Databases) => Promise<TimedExchangeRow[]>; times: string[] }[] = [
  ...AGENCIES.map((agency) => ({ party: agency, table: 'inquiry', read: (databases: Databases) => databases.agency(agency).timedInquiries(), times: ['created_at', 'answered_at'] })),
  ...AGENCIES.map((agency) => ({ party: agency, table: 'provided_exchange', read: (databases: Databases) => databases.agency(agency).timedProvided(), times: ['provided_at'] })),
  { party: MYNA_PORTAL, table: 'exchange_record', read: (databases) => databases.portal.timedRecords(), times: ['at', 'received_at'] },
  { party: MYNA_PORTAL, table: 'self_disclosure', read: (databases) => databases.portal.timedSelfDisclosures(), times: ['requested_at', 'answered_at'] },
];

/**
 * The timing attack between every pair of parties' stored times and row order (issue 13, Build 4):
 * measured, not checked; the hub's log (the auditor's) tells which pairs are right.
 */
async function measureTiming(context: ScenarioContext): Promise<void> {
  const tables: ExchangeTable[] = [];
  for (const { party, table, read, times } of EXCHANGE_TABLES) {
    const rows = await read(context.databases);
    tables.push({
      party,
      table,
      rows: rows.map((row, order) => ({
        handle: row.handle,
        requester: row.requester,
        provider: row.provider,
        rule: row.rule,
        order,
        times: Object.fromEntries(times.map((column) => [column, row[column] === null ? null : Number(row[column])])),
      })),
    });
  }
  const keys = await context.databases.agency(TAX_AGENCY).exchangeKeyTypes();
  const portalKeys = await context.databases.portal.exchangeKeyTypes();
  const sequential = [...keys, ...portalKeys].filter((key) => key.data_type !== 'uuid');
  context.check(
    'exchange records have no sequential keys: every agency’s and the portal’s exchange tables are keyed by random UUIDs',
    sequential.length === 0 && keys.length + portalKeys.length >= 5,
    sequential.length === 0 ? [...keys, ...portalKeys].map((key) => `${key.table_name}: ${key.data_type}`).join(', ') : `sequential: ${sequential.map((key) => `${key.table_name} (${key.data_type})`).join(', ')}`,
  );

  const truth = (await context.databases.hub.handles()).map((row) => ({ handles: [row.inquiry_id, row.portal_handle, ...(row.provider_handle ? [row.provider_handle] : [])] }));
  context.say('auditor', `reads the hub's log (${truth.length} exchanges) to know which rows truly belong together: the attacker does not have it`);
  const attack = runTimingAttack(tables, truth);
  context.measure(
    'the learned-delay timing attack between every pair of parties’ records (mutual nearest neighbours on stored times shifted by the true median delay, ties by row order; and row order alone): for each pair of tables, the exchanges both record and the best re-link rate. Few common exchanges re-link trivially (one exchange alone in a window pairs with itself)',
    attack.byTablePair.length === 0
      ? 'no two parties keep records of a common exchange'
      : attack.byTablePair.map((pair) => `${pair.left} × ${pair.right}: ${(pair.bestRate * 100).toFixed(1)} % of ${pair.common} re-linked (${pair.best})`).join('; '),
    { byTablePair: attack.byTablePair, joins: attack.joins },
  );
}
