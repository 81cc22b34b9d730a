import {
  AgencyCode,
  analyseClosure,
  breachKnowledge,
  edgeKeyScheme,
  edgesOf,
  parseHubBundle,
  parseIssuerBundle,
  parsePartyBundle,
  partyKeyScheme,
  ProcessingSerial,
  searchCompositions,
  secret,
  type HubBundle,
  type PartyBundle,
  type PartyId,
} from '@myna/codes';
import {
  AGENCIES,
  CODE_HOLDERS,
  CODE_ISSUER,
  decryptForMe,
  EnvelopeError,
  EXCHANGE_HUB,
  type Agency,
  type CodeHolder,
  type ServiceKeyRing,
  HEALTH_AGENCY,
  MYNA_PORTAL,
  PENSION_AGENCY,
  TAX_AGENCY,
} from '@myna/protocol';
import { attemptLinks, followEdgeIn, recoverEdgeKeys } from '../analysis/edge-linking';
import { codeForms, findSecrets, type SecretForm } from '../analysis/token-layers';
import { describeScan } from '../federation/databases';
import type { Scenario, ScenarioContext } from '../runner/scenario';
import { exchange, hubExchangeOf, insiderKeys, newCitizen, portalRecordOf, readableClaims, tokenOnLane, type EnrolledCitizen, type HubExchange } from './scenario-support';

/** The colluding party measured at length: any one would do; pension is a provider to three and asks two. */
const COLLUDER: Agency = PENSION_AGENCY;
/** The party whose restriction shows best: only the portal sends to health. */
const RESTRICTED: Agency = HEALTH_AGENCY;
/** Scalar multiplications are slow in pure TypeScript: on a large seeded demo, the linking is measured on a sample. */
const SAMPLE = 500;

export const hubBreach: Scenario = {
  name: 'hub-breach',
  claim:
    'The hub itself cannot link people, and its factors translate only what the legal table permits: no composition of them (and their inverses) yields a translation any party can decrypt and close except the permitted edges. With one party’s key file it learns that party’s own edges only.',
  proves:
    'the hub’s database and keys hold no identifier or code in the clear, keep no relayed ciphertext once an exchange closes, and open nothing they relay; the closure of its factors reaches the permitted edges only (computed, and every composition of up to 3 factors tried on real keys); hub + any one party’s key file recovers only that party’s edge keys and links its persons only to the codes of the parties that send to it',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen');
    const asked = await Promise.all([
      exchange(context, PENSION_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' }),
      exchange(context, HEALTH_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-HEA-TAX-INCOME', item: 'annual-income' }),
      exchange(context, HEALTH_AGENCY, citizen, { provider: PENSION_AGENCY, rule: 'R-HEA-PEN-BENEFIT', item: 'benefit-status' }),
    ]);
    const requesters: Agency[] = [PENSION_AGENCY, HEALTH_AGENCY, HEALTH_AGENCY];
    for (const [index, settled] of asked.entries()) await portalRecordOf(context, requesters[index], settled.id);
    const ours = await Promise.all(asked.map((settled, index) => hubExchangeOf(context, requesters[index], settled.id)));

    // Part one: the hub alone.
    const hubRing = await insiderKeys(context, EXCHANGE_HUB, 'attacker', 'the hub is breached: the attacker has its key file and a dump of its database');
    const hubKeyJson = (await context.keys.file(EXCHANGE_HUB)).codes ?? {};
    const hub = parseHubBundle(hubKeyJson);
    const hubDump = await context.databases.dump(EXCHANGE_HUB);
    context.say(EXCHANGE_HUB, `its database: ${hubDump.map((table) => `${table.table}(${table.rowCount})`).join(', ')}; its keys: ${hub.edges.size} edges' factors and public keys, ${hub.selfKeys.size} self key`);

    await checkNothingInTheClear(context, hubDump, citizen);
    context.check(
      'the hub holds no secret key of any party: its bundle is edge factors and public keys only',
      JSON.stringify(Object.keys(hubKeyJson).sort()) === JSON.stringify(['edges', 'format', 'selfKeys', 'version']),
      `its codes bundle holds: ${Object.keys(hubKeyJson).join(', ')}`,
    );
    const kept = await context.databases.hub.closedKeepingSubjectCount();
    context.check(
      'the hub keeps no relayed ciphertext once an exchange is closed: this citizen’s three exchanges hold none',
      kept === 0 && ours.every((row) => row.record_subject === null),
      `${kept} closed exchanges still hold a subject; this citizen's: ${ours.map((row) => `${row.status}, subject ${row.record_subject === null ? 'deleted' : 'kept'}`).join('; ')}`,
    );

    const unopened = await opensNothing(context, hubRing, ours);
    context.check(
      'the hub cannot open the opaque tokens it relays nor the answer payloads it forwards',
      unopened.length > 0 && unopened.every((attempt) => attempt.refused),
      unopened.map((attempt) => `${attempt.what}: ${attempt.refused ? 'not-for-me' : 'OPENED'}`).join('; '),
    );

    const subjects = await subjectsOf(context, asked.map((settled, index) => ({ requester: requesters[index], inquiryId: settled.id })));
    context.check(
      'no ciphertext repeats: the three inquiries about one person carry six unrelated subjects (an edge to the provider and an edge to the portal each)',
      subjects.length === 6 && new Set(subjects).size === 6,
      `${subjects.length} subjects read off the lanes, ${new Set(subjects).size} distinct: ${subjects.map((text) => `${text.slice(0, 14)}…`).join(', ')}`,
    );

    // Build 3(a): the closure of the hub's factors, computed, then tried on real keys.
    const edges = edgesOf(hub);
    const parties = [...CODE_HOLDERS] as PartyId[];
    const closure = analyseClosure(edgeKeyScheme(parties, edges, [...hub.selfKeys.keys()]));
    context.check(
      'no composition of the hub’s factors and their inverses yields a translation any party can decrypt and close, except the permitted edges (the closure, computed)',
      closure.beyondPermitted.length === 0 && closure.reachable.length === 2 * edges.length + hub.selfKeys.size,
      `${closure.factors} factors, all independent (rank ${closure.rank}); of ${closure.candidates} (ciphertext, party, key, closing scalar) combinations the closure reaches ${closure.reachable.length}: each edge's own receiver, each sender reading its own ciphertext, and the portal's self key; beyond them: ${closure.beyondPermitted.length}`,
      closure,
    );
    const before = analyseClosure(partyKeyScheme(parties, edges));
    context.measure(
      'the same analysis of the scheme before edge keys (one key per party, factors x_B/x_A and s_B/s_A on the same edges)',
      `it reached ${before.beyondPermitted.length} translations the legal table forbids, among them ${before.beyondPermitted
        .filter((translation) => translation.party === HEALTH_AGENCY)
        .slice(0, 3)
        .map((translation) => `${translation.input} → ${translation.party}`)
        .join(', ')}`,
    );

    const material = await allKeyMaterial(context);
    if (material) {
      const serial = await context.databases.issuer.processingSerialOf(citizen.myNumber);
      const search = searchCompositions(material, ProcessingSerial.parse(serial), { maxLength: 3, sampledMisses: 6 });
      const permitted = new Set([
        ...edges.flatMap((edge) => [`${edge.from} → ${edge.to}|${edge.from}|-`, `${edge.from} → ${edge.to}|${edge.to}|c[${edge.from} → ${edge.to}]`]),
        ...[...hub.selfKeys.keys()].map((party) => `${party} → itself|${party}|-`),
      ]);
      const effects = search.hits.map((hit) => `${hit.input}|${hit.party}|${hit.closing ?? '-'}`);
      const beyond = effects.filter((effect) => !permitted.has(effect));
      context.check(
        'on the real keys, every composition of up to 3 of the hub’s factors and inverses, applied to a ciphertext of each kind the hub sees, decrypts and closes into a party’s code only along a permitted edge',
        beyond.length === 0 && effects.length === permitted.size && search.replayed.every((replay) => replay.matches) && search.sampledMisses.codesFound === 0,
        `${search.compositions.toLocaleString('en-US')} compositions (covering ${search.sequencesCovered.toLocaleString('en-US')} ordered sequences of ${search.operations} operations: reshuffle, rekey and both, per edge, and inverses) × ${search.inputs} kinds of ciphertext, tried against every key and closing scalar of every party: ` +
          `${effects.length} translations work, all permitted (${beyond.length} beyond), each replayed on the curve (${search.replayed.filter((replay) => replay.matches).length} gave the code); ` +
          `${search.sampledMisses.compositions} random others on real ciphertexts, ${search.sampledMisses.attempts} decryptions and closings: ${search.sampledMisses.codesFound} codes`,
        { hits: search.hits, sampledMisses: search.sampledMisses },
      );
    } else {
      context.measure('the composition search on real keys', 'not run: the runner was not given every party’s key file');
    }

    // Build 3(b): the hub and one party's key file, for every party.
    const scheme = edgeKeyScheme(parties, edges, [...hub.selfKeys.keys()]);
    const rows: string[] = [];
    for (const party of CODE_HOLDERS) {
      const knowledge = breachKnowledge(scheme, edges, party);
      const incident = edges.filter((edge) => edge.from === party || edge.to === party);
      const expectedKeys = new Set([...incident.flatMap((edge) => [secret.sending(edge), secret.receiving(edge)]), ...(hub.selfKeys.has(party) ? [secret.self(party)] : [])]);
      const senders = edges.filter((edge) => edge.to === party).map((edge) => edge.from);
      const bundle = parsePartyBundle((await insiderKeys(context, party, 'attacker', `${party} colludes with the breached hub: its key file`)).codesBundle);
      const recovered = recoverEdgeKeys(hub, bundle);
      context.check(
        `hub + ${party}: recovers only the keys of ${party}'s own edges, and links its persons only to the codes of ${senders.join(', ')} (the parties that send to it)`,
        knowledge.keys.length === expectedKeys.size &&
          knowledge.keys.every((key) => expectedKeys.has(key)) &&
          JSON.stringify([...knowledge.linkedCodes].sort()) === JSON.stringify([...senders].sort()) &&
          recovered.length === incident.length &&
          recovered.every((entry) => entry.matchesPublicKey),
        `keys: ${knowledge.keys.length} of ${2 * edges.length + hub.selfKeys.size} (both ends of its ${incident.length} edges${hub.selfKeys.has(party) ? ', and its self key' : ''}), ` +
          `the ${recovered.length} other ends derived from its key file and checked against the hub's public keys; ` +
          `its persons link to the codes of: ${knowledge.linkedCodes.join(', ') || 'no one'}; to edge pseudonyms (stored by no one) of: ${[...new Set(knowledge.linkedEdgePseudonyms.map((edge) => edge.to))].join(', ') || 'no one'}; ` +
          `subjects it can read: those sent along its own edges (${knowledge.readableInputs.length} of ${scheme.inputs.length} edges)`,
        knowledge,
      );
      rows.push(`${party}: keys of ${incident.length} edges, codes of ${knowledge.linkedCodes.join(', ') || 'no one'}`);
    }

    // (b) on real data: the restricted party tries every product of up to two of the hub's factors and its own closing scalars.
    const restricted = parsePartyBundle((await context.keys.ring(RESTRICTED)).codesBundle);
    const restrictedCodes = (await codesOf(context, RESTRICTED)).slice(0, 20);
    const others: CodeHolder[] = [TAX_AGENCY, PENSION_AGENCY];
    const attempt = attemptLinks(hub, restricted, restrictedCodes, new Map(await Promise.all(others.map(async (party) => [party, new Set(await codesOf(context, party))] as const))));
    context.check(
      `hub + ${RESTRICTED}, on real codes: no product of up to two of the hub's factors and ${RESTRICTED}'s closing scalars (and inverses) turns a ${RESTRICTED} person's code into tax's or pension's`,
      attempt.found === 0 && attempt.tried > 0,
      `${attempt.scalars} scalars tried on ${restrictedCodes.length} ${RESTRICTED} codes (${attempt.tried.toLocaleString('en-US')} multiplications), looked up among ${others.map((party) => party).join(' and ')}'s codes: ${attempt.found} found`,
    );

    // What a colluding party does get, measured on its whole population.
    const colluder = parsePartyBundle((await context.keys.ring(COLLUDER)).codesBundle);
    const colluderCodes = (await codesOf(context, COLLUDER)).slice(0, SAMPLE);
    const linked: string[] = [];
    for (const from of colluder.receiving.keys()) {
      const theirs = new Set(from === MYNA_PORTAL ? await portalCodes(context) : await codesOf(context, from as Agency));
      const found = colluderCodes.filter((code) => theirs.has(followEdgeIn(hub, colluder, from, AgencyCode.parse(code)).toText())).length;
      linked.push(`${from}: ${found} found in its dump`);
    }
    context.measure(
      `hub + ${COLLUDER}: its persons at the parties that send to it (P_A = (n_{A→${COLLUDER}} · c_{${COLLUDER}←A})⁻¹ · P_${COLLUDER})`,
      `${colluderCodes.length} ${COLLUDER} persons' codes computed at ${linked.join(', ')} (the auditor checks each against that party's dump)`,
    );

    context.measure(
      'stated honestly',
      'The hub alone links no one: no identifier, code or payload is in its database in the clear, no relayed ciphertext outlives its exchange, it opens nothing it relays, and no subject repeats. ' +
        `It does see the metadata of every exchange (who asked whom, for what, when). Its ${edges.length} edges' factors do not compose: the closure reaches the permitted edges only. ` +
        `With one party's key file it recovers that party's edge keys and links that party's persons to the codes of the parties that send to it (${rows.join('; ')}): in this legal table almost everyone sends to tax, pension and the portal, so for them that is almost everyone, which is what they could ask for anyway. ` +
        'The key ceremony is a trusted dealer: it sees every secret once (libs/codes README).',
    );
    return context.conclude();
  },
};

/** Every code holder's, the issuer's and the hub's key files, when the runner was given them all (the auditor's view). */
async function allKeyMaterial(context: ScenarioContext): Promise<{ issuer: ReturnType<typeof parseIssuerBundle>; parties: Map<PartyId, PartyBundle>; hub: HubBundle } | undefined> {
  try {
    const issuer = parseIssuerBundle((await context.keys.file(CODE_ISSUER)).codes);
    const parties = new Map<PartyId, PartyBundle>();
    for (const party of CODE_HOLDERS) parties.set(party, parsePartyBundle((await context.keys.file(party)).codes));
    const hub = parseHubBundle((await context.keys.file(EXCHANGE_HUB)).codes);
    context.say('auditor', 'reads every key file (the issuer’s, the hub’s and each party’s) to try every composition against every key there is');
    return { issuer, parties, hub };
  } catch {
    return undefined;
  }
}

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
  for (const party of [...AGENCIES, MYNA_PORTAL] as const) {
    for (const code of party === MYNA_PORTAL ? await portalCodes(context) : await codesOf(context, party)) secrets.push(...codeForms(code, `a ${party} code`));
  }
  const register = await context.databases.issuer.registerIdentifiers();
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

/** The hub tries to open what it relayed for these exchanges, as read off the lanes: the deliveries, and the payloads inside the answers. */
async function opensNothing(context: ScenarioContext, hubRing: ServiceKeyRing, rows: readonly HubExchange[]): Promise<{ what: string; refused: boolean }[]> {
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
    await attempt(`a delivery to ${row.provider}`, await tokenOnLane(context, { to: row.provider as CodeHolder, from: EXCHANGE_HUB }, 'delivery').catch(() => undefined));
    const answer = row.answer_message_id ? await context.queues.tokenOf(EXCHANGE_HUB, row.provider as CodeHolder, row.answer_message_id) : undefined;
    const payload = readableClaims(answer)?.payload;
    await attempt(`the answer payload of ${row.requester} → ${row.provider}`, typeof payload === 'string' ? payload : undefined);
  }
  return attempts;
}

/** The subjects of these inquiries, as anyone reading the lanes to the hub sees them. */
async function subjectsOf(context: ScenarioContext, inquiries: readonly { requester: CodeHolder; inquiryId: string }[]): Promise<string[]> {
  const subjects: string[] = [];
  for (const { requester, inquiryId } of inquiries) {
    const claims = readableClaims(await context.queues.tokenOf(EXCHANGE_HUB, requester, inquiryId));
    for (const field of ['subject', 'recordSubject']) if (typeof claims?.[field] === 'string') subjects.push(claims[field] as string);
  }
  return subjects;
}

async function codesOf(context: ScenarioContext, agency: Agency | CodeHolder): Promise<string[]> {
  if (agency === MYNA_PORTAL) return portalCodes(context);
  return context.databases.agency(agency).codes();
}

async function portalCodes(context: ScenarioContext): Promise<string[]> {
  return context.databases.portal.codes();
}

