import { AgencyCode, decryptCode, parseCiphertext, parseHubBundle, parsePartyBundle, type HubBundle } from '@myna/codes';
import { AGENCIES, decryptForMe, EnvelopeError, EXCHANGE_HUB, type Agency, type ServiceKeyRing } from '@myna/protocol';
import { derivablePairs, derivedReshuffles, heldPairs, recoverElGamalKeys, reshuffleCode } from '../analysis/pseudonym-arithmetic';
import { codeForms, findSecrets, type SecretForm } from '../analysis/token-layers';
import { describeScan } from '../federation/databases';
import type { Scenario, ScenarioContext } from '../runner/scenario';
import { exchange, insiderKeys, newCitizen, portalRecordOf, type EnrolledCitizen } from './scenario-support';

interface HubExchangeRow {
  id: string;
  requester: string;
  provider: string;
  rule: string;
  item: string;
  status: string;
  requester_subject: string;
  delivery_token: string | null;
  result_token: string | null;
  created_at: Date;
}

/** The colluding agency of part two: any one agency would do. */
const COLLUDER: Agency = 'pension-agency';
/** Scalar multiplications are slow in pure TypeScript: on a large seeded demo, the linking is measured on a sample. */
const SAMPLE = 2_000;

export const hubBreach: Scenario = {
  name: 'hub-breach',
  claim:
    'The hub itself cannot link people: given its whole database and keys, it holds no My Number, code or payload in the clear and cannot tell that two exchanges concern one person. What it can do with its factors, and with one colluding agency, is stated as measured.',
  proves:
    'the hub’s database and keys hold no identifier or code in the clear, open no delivery or answer, and keep no repeating ciphertext; the report then measures what inverting and chaining its factors, and colluding with one agency, actually link',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen');
    const exchanges = [
      await exchange(context, 'pension-agency', citizen, { provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income' }),
      await exchange(context, 'health-agency', citizen, { provider: 'tax-agency', rule: 'R-HEA-TAX-INCOME', item: 'annual-income' }),
      await exchange(context, 'health-agency', citizen, { provider: 'pension-agency', rule: 'R-HEA-PEN-BENEFIT', item: 'benefit-status' }),
    ];
    for (const settled of exchanges) if (settled.exchangeId) await portalRecordOf(context, settled.exchangeId);
    const exchangeIds = exchanges.map((settled) => settled.exchangeId).filter((id): id is string => Boolean(id));

    // Part one: the hub alone.
    const hubRing = await insiderKeys(context, EXCHANGE_HUB, 'attacker', 'the hub is breached: the attacker has its key file and a dump of its database');
    const hubKeyJson = (await context.keys.file(EXCHANGE_HUB)).codes ?? {};
    const hub = parseHubBundle(hubKeyJson);
    const hubDump = await context.databases.dump(EXCHANGE_HUB);
    const rows = await context.databases.query<HubExchangeRow>(EXCHANGE_HUB, 'SELECT * FROM exchange');
    const ours = rows.filter((row) => exchangeIds.includes(row.id));
    context.say('exchange-hub', `its database: ${hubDump.map((table) => `${table.table}(${table.rowCount})`).join(', ')}; its keys: every party's public key and ${hub.pairFactors.size} pairs of factors`);

    await checkNothingInTheClear(context, hubDump, citizen);

    context.check(
      'the hub holds no ElGamal secret key: it cannot decrypt any subject',
      !('secretKey' in hubKeyJson) && !('pseudonymKeys' in hubKeyJson) && !('parties' in hubKeyJson),
      `its codes bundle holds: ${Object.keys(hubKeyJson).join(', ')}`,
    );

    const unopened = await opensNothing(hubRing, ours);
    context.check(
      'the hub cannot open the opaque tokens it relays nor the answers inside them',
      unopened.every((attempt) => attempt.refused),
      unopened.map((attempt) => `${attempt.what}: ${attempt.refused ? 'not-for-me' : 'OPENED'}`).join('; '),
    );

    const subjects = rows.map((row) => row.requester_subject);
    context.check(
      'no ciphertext repeats: the three exchanges about one person carry three unrelated subjects, and every subject in the log is unique',
      new Set(subjects).size === subjects.length && new Set(ours.map((row) => row.requester_subject)).size === ours.length && ours.length === 3,
      `${subjects.length} subjects in the log, ${new Set(subjects).size} distinct; this citizen’s: ${ours.map((row) => `${row.requester_subject.slice(0, 16)}…`).join(', ')}`,
    );
    context.measure(
      'what the hub does see of this citizen’s exchanges (and cannot tell they concern one person)',
      ours.map((row) => `${row.created_at.toISOString()} ${row.requester} → ${row.provider} ${row.item} (${row.rule}) ${row.status}`).join('; '),
    );

    const held = heldPairs(hub);
    const derivable = derivablePairs(hub);
    const beyondPolicy = derivable.filter((pair) => !pair.held).map((pair) => pair.pair);
    context.measure(
      'what the hub’s factors allow beyond its policy (they invert and chain; libs/codes README)',
      `it holds factors for ${held.length} directed pairs; by inverting and chaining them it can compute ${derivable.length} of ${hub.publicKeys.size * (hub.publicKeys.size - 1)} ordered pairs, ` +
        `${beyondPolicy.length} of which no rule permits, among them ${[...new Set([...beyondPolicy.filter((pair) => pair === 'tax-agency → health-agency'), ...beyondPolicy])].slice(0, 4).join(', ')}. Only the hub's own policy keeps it to the permitted ones`,
      { held, derivable },
    );

    // Part two: the hub and one agency.
    const colluder = await insiderKeys(context, COLLUDER, 'attacker', `${COLLUDER} colludes with the breached hub: its key file and its database`);
    const recovered = recoverElGamalKeys(hub, COLLUDER, parsePartyBundle(colluder.codesBundle).secretKey);
    const verified = [...recovered].filter(([party, key]) => party !== COLLUDER && key.matchesPublicKey).map(([party]) => party);
    context.measure(
      `hub + ${COLLUDER}: every party's ElGamal secret key, from ${COLLUDER}'s and the hub's rekey factors (x_B = k_AB · x_A)`,
      `recovered and checked against the public keys: ${verified.join(', ') || 'none'}`,
      verified,
    );

    const colluderPersons = new Map(
      (await context.databases.query<{ id: string; agency_code: string }>(COLLUDER, 'SELECT id, agency_code FROM person')).map((row) => [row.agency_code, row.id]),
    );
    let attributed = 0;
    const ourAttributions: string[] = [];
    const sampledRows = [...ours, ...rows.filter((row) => !exchangeIds.includes(row.id)).slice(0, SAMPLE)];
    for (const row of sampledRows) {
      const key = recovered.get(row.requester);
      const toColluder = derivedReshuffles(hub, row.requester).get(COLLUDER);
      if (!key?.matchesPublicKey || toColluder === undefined) continue;
      const requesterCode = decryptCode(parseCiphertext(row.requester_subject), key.secret);
      const personId = colluderPersons.get(reshuffleCode(requesterCode, toColluder).toText());
      if (personId) attributed += 1;
      if (exchangeIds.includes(row.id)) ourAttributions.push(`${row.requester} → ${row.provider}: ${personId === citizen.personIds[COLLUDER] ? `${COLLUDER} person ${personId}` : 'not found'}`);
    }
    context.measure(
      `hub + ${COLLUDER}: whom each logged exchange was about`,
      `decrypting every subject in the log and translating it to ${COLLUDER}'s codes attributes ${attributed} of ${sampledRows.length} exchanges${sampledRows.length < rows.length ? ` (a sample of the ${rows.length} logged)` : ''} to a ${COLLUDER} person, including exchanges ${COLLUDER} took no part in; this citizen's: ${ourAttributions.join('; ')}`,
    );

    const populations = await linkPopulations(context, hub, COLLUDER, [...colluderPersons.keys()].slice(0, SAMPLE));
    context.measure(
      `hub + ${COLLUDER}: ${COLLUDER}'s whole population at the other agencies (P_B = n_AB · P_A)`,
      `${Math.min(SAMPLE, colluderPersons.size)} of ${colluderPersons.size} ${COLLUDER} persons; their codes computed at ${populations.map((entry) => `${entry.agency}: ${entry.found} found in its database (auditor's check against its dump)`).join(', ')}`,
      populations,
    );

    const twoDumps = await linkPopulations(context, hub, 'tax-agency', (await codesOf(context, 'tax-agency')).slice(0, SAMPLE), ['health-agency']);
    context.measure(
      'hub + two agencies’ databases, no agency key (libs/codes README): tax’s and health’s populations through the inverted health → tax factor',
      `${twoDumps[0]?.found ?? 0} of ${twoDumps[0]?.of ?? 0} tax persons found at health by P_health = n_{tax→health} · P_tax, a direction no rule permits`,
      twoDumps,
    );

    context.measure(
      'stated honestly',
      'The hub alone links no one: no identifier, code or payload is in its database in the clear, it opens nothing it relays, and no subject repeats. ' +
        `It does see the metadata of every exchange (who asked whom, for what, when). Its factors invert and chain, so a compromised hub can translate ${beyondPolicy.length} directions the legal table forbids. ` +
        `With one colluding agency's key it recovers every party's key (${verified.length} verified), attributes ${attributed} logged exchanges to named persons of that agency and links that agency's whole population to every other agency's codes. ` +
        'So the separation rests on keeping the hub and the agencies in separate trust domains, not on the arithmetic alone.',
    );
    return context.conclude();
  },
};

/** Every identifier any party holds, searched for in the hub's dump at every layer the hub can decode. */
async function checkNothingInTheClear(context: ScenarioContext, hubDump: Awaited<ReturnType<ScenarioContext['databases']['dump']>>, citizen: EnrolledCitizen): Promise<void> {
  const scan = await context.databases.scan(EXCHANGE_HUB);
  context.check(
    'the hub’s database has no column or value shaped like a My Number, residence code or processing serial',
    scan.findings.length === 0,
    describeScan(scan),
    scan,
  );
  const secrets: SecretForm[] = [];
  for (const party of [...AGENCIES, 'myna-portal'] as const) {
    const column = party === 'myna-portal' ? 'portal_code' : 'agency_code';
    const table = party === 'myna-portal' ? 'exchange_record' : 'person';
    const codes = await context.databases.query<{ code: string }>(party, `SELECT DISTINCT ${column} AS code FROM ${table}`);
    for (const { code } of codes) secrets.push(...codeForms(code, `a ${party} code`));
  }
  const register = await context.databases.query<{ my_number: string; residence_code: string; processing_serial: string }>(
    'code-issuer',
    'SELECT my_number, residence_code, processing_serial FROM citizen',
  );
  for (const entry of register) {
    secrets.push({ form: entry.my_number, label: 'a My Number' }, { form: entry.residence_code, label: 'a residence code' });
    secrets.push({ form: entry.processing_serial.slice(4), label: 'a processing serial' });
  }
  secrets.push({ form: String(citizen.incomeYen), label: 'the citizen’s income (an answer in the clear)' });
  context.say('auditor', `collects every code the agencies and the portal hold and every identifier in the register: ${secrets.length} forms to look for`);
  const found: string[] = [];
  for (const table of hubDump) {
    for (const column of table.columns) {
      const labels = await findSecrets(column.values.filter((value): value is string => value !== null).join('\n'), secrets);
      found.push(...labels.map((label) => `${label} in ${table.table}.${column.name}`));
    }
  }
  context.check(
    'no code, My Number, residence code, serial or answer is in the hub’s database, at any layer the hub can decode',
    found.length === 0,
    found.length === 0 ? `searched ${hubDump.reduce((sum, table) => sum + table.rowCount, 0)} rows, JWS payloads decoded: none found` : `found ${found.join('; ')}`,
  );
}

async function opensNothing(hubRing: ServiceKeyRing, rows: readonly HubExchangeRow[]): Promise<{ what: string; refused: boolean }[]> {
  const attempts: { what: string; refused: boolean }[] = [];
  const attempt = async (what: string, jwe: string | undefined) => {
    if (!jwe) return;
    try {
      await decryptForMe(hubRing, jwe);
      attempts.push({ what, refused: false });
    } catch (error) {
      attempts.push({ what, refused: error instanceof EnvelopeError && error.code === 'not-for-me' });
    }
  };
  for (const row of rows) {
    await attempt(`the delivery of ${row.requester} → ${row.provider}`, row.delivery_token ?? undefined);
    await attempt(`the answer payload of ${row.requester} → ${row.provider}`, answerPayloadOf(row.result_token));
  }
  return attempts;
}

/** The provider's sealed payload inside a hub-signed result: result JWS → answer JWS → payload JWE. */
function answerPayloadOf(resultToken: string | null): string | undefined {
  const claims = (token: string | undefined) => {
    try {
      return token ? (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const answer = claims(resultToken ?? undefined)?.answer;
  const payload = claims(typeof answer === 'string' ? answer : undefined)?.payload;
  return typeof payload === 'string' ? payload : undefined;
}

async function codesOf(context: ScenarioContext, agency: Agency): Promise<string[]> {
  return (await context.databases.query<{ agency_code: string }>(agency, 'SELECT agency_code FROM person')).map((row) => row.agency_code);
}

/** From one agency's codes and the hub's factors alone: how many of its persons are found at each other agency (checked against their dumps). */
async function linkPopulations(
  context: ScenarioContext,
  hub: HubBundle,
  from: Agency,
  codes: readonly string[],
  to: readonly Agency[] = AGENCIES.filter((agency) => agency !== from),
): Promise<{ agency: Agency; found: number; of: number }[]> {
  const factors = derivedReshuffles(hub, from);
  const results: { agency: Agency; found: number; of: number }[] = [];
  for (const agency of to) {
    const factor = factors.get(agency);
    if (factor === undefined) continue;
    const theirs = new Set(await codesOf(context, agency));
    const found = codes.filter((code) => theirs.has(reshuffleCode(AgencyCode.parse(code), factor).toText())).length;
    results.push({ agency, found, of: codes.length });
  }
  return results;
}

