import { randomBytes, randomUUID } from 'node:crypto';
import { AgencyCode, encryptCode, encryptSubjects, generateKeyPair, parsePartyBundle } from '@myna/codes';
import {
  CODE_HOLDERS,
  CODE_ISSUER,
  EXCHANGE_HUB,
  HEALTH_AGENCY,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  MYNA_PORTAL,
  PENSION_AGENCY,
  signMessage,
  TAX_AGENCY,
  type Agency,
  type CodeHolder,
  type Service,
  type ServiceKeyRing,
} from '@myna/protocol';
import { tokenIn } from '../federation/queues';
import type { HubExchange, HubRejectionRow, PortalRecord } from '../federation/service-views';
import type { InquiryView, RegisteredCitizen } from '../federation/federation-client';
import { canaryAmount, maskMyNumber, shortCode, syntheticFacts } from '../citizens/synthetic-citizen';
import { pollUntil } from '../runner/poll';
import type { ScenarioContext } from '../runner/scenario';

export interface EnrolledCitizen extends RegisteredCitizen {
  /** The person id each agency gave them (its internal id, not an identifier anyone else knows). */
  personIds: Partial<Record<Agency, string>>;
  /** The nine-digit income tax holds about them: a canary for where tax's record travels. */
  incomeYen: number;
}

export interface CitizenOptions {
  at?: readonly Agency[];
  /** Agencies that keep name, address and date of birth as contact data (the "contact data" profile). */
  keepContactDataAt?: readonly Agency[];
}

/** Registers a fictional citizen at code-issuer and enrols them at agencies with a few records each. */
export async function newCitizen(context: ScenarioContext, label: string, options: CitizenOptions = {}): Promise<EnrolledCitizen> {
  const registered = await context.federation.registerCitizen(syntheticFacts());
  context.say(CODE_ISSUER, `registers ${label} (${registered.name}, My Number ${maskMyNumber(registered.myNumber)}), drawing a processing serial only it knows`);
  const incomeYen = canaryAmount();
  const records: Record<Agency, Record<string, unknown>> = {
    [TAX_AGENCY]: { incomes: [{ fiscalYear: 2025, incomeYen }], assessments: [{ fiscalYear: 2025, residentTaxYen: Math.round(incomeYen / 10) }] },
    [PENSION_AGENCY]: { enrolments: [{ category: 'category-1', enrolledOn: '2010-04-01' }], benefits: [{ status: 'not-receiving', annualAmountYen: 0 }] },
    [HEALTH_AGENCY]: { coverage: [{ eligibleFrom: '2010-04-01', eligibleUntil: null }], claims: [{ serviceMonth: '2025-06', amountYen: 12_000 }] },
  };
  const citizen: EnrolledCitizen = { ...registered, personIds: {}, incomeYen };
  for (const agency of options.at ?? ([TAX_AGENCY, PENSION_AGENCY, HEALTH_AGENCY] as const)) {
    const keepContactData = options.keepContactDataAt?.includes(agency) ?? false;
    citizen.personIds[agency] = await context.federation.enrol(agency, registered, { records: records[agency], keepContactData });
    context.say(
      agency,
      `enrols ${label}: takes the My Number once, obtains its own code from code-issuer, keeps the code${keepContactData ? ' and contact data (name, address, birth date)' : ''}, discards the number`,
    );
  }
  return citizen;
}

/** The code an agency keeps for one of its persons, read from its database dump. */
export async function agencyCodeOf(context: ScenarioContext, agency: Agency, personId: string): Promise<string> {
  const code = await context.databases.agency(agency).codeOf(personId);
  if (!code) throw new Error(`${agency} has no person ${personId}`);
  return code;
}

/** Asks through the requester's own API and narrates the outcome. */
export async function exchange(
  context: ScenarioContext,
  requester: Agency,
  citizen: EnrolledCitizen,
  request: { provider: Agency; rule: string; item: string; parameters?: Record<string, string | number | boolean> },
  label = 'the citizen',
): Promise<InquiryView> {
  const personId = citizen.personIds[requester];
  if (!personId) throw new Error(`${label} is not enrolled at ${requester}`);
  context.say(requester, `asks ${request.provider} for ${request.item} about ${label} under ${request.rule}`);
  const inquiry = await context.federation.inquire(requester, personId, request);
  context.say(requester, `sees the inquiry ${inquiry.status}${inquiry.reason ? ` (${inquiry.reason})` : ''}${inquiry.result ? `: ${JSON.stringify(inquiry.result)}` : ''}`);
  return inquiry;
}

/**
 * The hub's row for an inquiry, read from its database as the auditor does: only the hub's log maps the
 * requester's inquiry id to the provider's and the portal's handles.
 */

export async function hubExchangeOf(context: ScenarioContext, requester: string, inquiryId: string): Promise<HubExchange> {
  return pollUntil(
    async () => context.databases.hub.exchange(requester, inquiryId),
    { what: `the hub's exchange for ${requester}'s inquiry ${inquiryId}` },
  );
}

/** How long a message may wait for the hub's mix round, and then be processed. */
export const MIX_WAIT_MS = 180_000;

/** Waits until the portal holds the exchange record of an inquiry (found through the hub's log; it arrives after the requester's result). */
export async function portalRecordOf(
  context: ScenarioContext,
  requester: string,
  inquiryId: string,
): Promise<PortalRecord> {
  const { portal_handle: handle } = await hubExchangeOf(context, requester, inquiryId);
  return pollUntil(
    async () => context.databases.portal.record(handle),
    { timeoutMs: MIX_WAIT_MS, what: `the portal's record of ${requester}'s inquiry ${inquiryId}` },
  );
}

/** The claims of a signed (not sealed) message, as anyone reading the queue can decode them. */
export function readableClaims(token: string | undefined): Record<string, unknown> | undefined {
  if (!token || token.split('.').length !== 3) return undefined;
  try {
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The token of the newest job on a lane whose readable claims match: what an eavesdropper finds by reading the queue. */
export async function tokenOnLane(
  context: ScenarioContext,
  lane: { to: Service; from: Service },
  jobName: string,
  matches: (claims: Record<string, unknown> | undefined) => boolean = () => true,
): Promise<string> {
  return pollUntil(
    async () => {
      for (const job of await context.queues.jobsOn(lane.to, lane.from)) {
        const token = tokenIn(job);
        if (job.name === jobName && token && matches(readableClaims(token))) return token;
      }
      return undefined;
    },
    { timeoutMs: MIX_WAIT_MS, what: `a ${jobName} on the lane ${lane.from} → ${lane.to}` },
  );
}

/** Reads a party's key file: the runner then holds that party's secrets, and the trace says so. */
export async function insiderKeys(context: ScenarioContext, service: Service, as: 'attacker' | 'auditor', why: string): Promise<ServiceKeyRing> {
  const ring = await context.keys.ring(service);
  context.say(as, `takes ${service}'s key file (${context.keys.path(service)}): ${why}`);
  return ring;
}


/** The hub's record of a refused job, read from its database (the auditor's dump), polled until it is there. */
export async function hubRejectionOf(context: ScenarioContext, jobId: string): Promise<HubRejectionRow> {
  return pollUntil(
    async () => context.databases.hub.rejection(jobId),
    { what: `the hub's rejection of job ${jobId}` },
  );
}

/** The rejection as the hub's operator API lists it (GET /rejections), if it is among the newest. */
export async function listedRejection(context: ScenarioContext, jobId: string): Promise<boolean> {
  return (await context.federation.hubRejections()).some((rejection) => rejection.jobId === jobId);
}

export interface InjectedMessage {
  /** What the attacker sends, for the trace: "the captured inquiry again". */
  what: string;
  jobName: string;
  data: unknown;
  jobId: string;
  /** The reason the hub must give (rejected_message.reason). */
  expectedReason: string;
  /** When it is an inquiry: its id, so that "no exchange was opened for it" is checked. */
  inquiryId?: string;
  /** Whose lane to the hub it is put on; by default the party its token claims to be from. */
  lane?: CodeHolder;
  /** Further proof that nothing was delivered or changed. */
  nothingChanged?: () => Promise<{ holds: boolean; detail: string }>;
}

/**
 * Puts a crafted message on a lane to the hub (by default the lane of the party
 * it claims to come from), as an attacker with access to Redis would, then checks
 * what the hub did: the refusal recorded in its database and listed by GET
 * /rejections, the job dead-lettered, and nothing opened or delivered.
 */
export async function injectIntoHub(context: ScenarioContext, message: InjectedMessage): Promise<boolean> {
  const lane = message.lane ?? claimedSender(message.data) ?? PENSION_AGENCY;
  await context.queues.inject(EXCHANGE_HUB, lane, message.jobName, message.data, message.jobId);
  context.say('attacker', `puts ${message.what} on ${lane}'s lane to the hub (job ${message.jobId})`);
  const rejection = await hubRejectionOf(context, message.jobId);
  context.say(EXCHANGE_HUB, `refuses job ${message.jobId}: ${rejection.reason} — ${rejection.detail}`);
  const listed = await listedRejection(context, message.jobId);
  const buried = await pollUntil(async () => (await context.queues.deadLetters(EXCHANGE_HUB).getJob(message.jobId)) ?? undefined, {
    timeoutMs: 10_000,
    what: `dead letter ${message.jobId}`,
  }).then(
    () => true,
    () => false,
  );
  const opened = message.inquiryId ? await hubExchangesForInquiry(context, message.inquiryId) : 0;
  const extra = message.nothingChanged ? await message.nothingChanged() : { holds: true, detail: '' };
  return context.check(
    `${message.what} is refused as ${message.expectedReason}, and nothing is delivered`,
    rejection.reason === message.expectedReason && listed && buried && opened === 0 && extra.holds,
    `hub database: rejected_message ${rejection.reason}${rejection.sender ? ` (verified sender ${rejection.sender})` : ''}; GET /rejections ${listed ? 'lists it' : 'does not list it'}; ` +
      `dead-letter queue ${buried ? 'holds it' : 'does not hold it'}${message.inquiryId ? `; exchanges opened for inquiry ${message.inquiryId}: ${opened}` : ''}${extra.detail ? `; ${extra.detail}` : ''}`,
    { rejection, listed, deadLettered: buried, exchangesOpened: opened },
  );
}

/** The party a token claims to come from (its `iss`), when it names a code holder. */
function claimedSender(data: unknown): CodeHolder | undefined {
  const iss = readableClaims((data as { token?: string } | undefined)?.token)?.iss;
  return typeof iss === 'string' && (CODE_HOLDERS as readonly string[]).includes(iss) ? (iss as CodeHolder) : undefined;
}

/** Waits until an agency's own database records that it refused a job (agencies keep their own rejected_message). */
export async function agencyRejectionOf(context: ScenarioContext, agency: Agency, jobId: string): Promise<{ reason: string; detail: string }> {
  return pollUntil(
    async () => context.databases.agency(agency).rejection(jobId),
    { what: `${agency}'s rejection of job ${jobId}` },
  );
}

/** A real exchange to capture material from: pension asks tax for the citizen's income. */
export async function capturedExchange(
  context: ScenarioContext,
  citizen: EnrolledCitizen,
): Promise<{ inquiry: InquiryView; inquiryToken: string; hubExchange: HubExchange }> {
  const inquiry = await exchange(context, PENSION_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' });
  if (inquiry.status !== 'answered') throw new Error(`the exchange to capture from did not complete: ${inquiry.status} ${inquiry.reason ?? ''}`);
  const inquiryToken = await context.queues.tokenOf(EXCHANGE_HUB, PENSION_AGENCY, inquiry.id);
  if (!inquiryToken) throw new Error(`the inquiry ${inquiry.id} is no longer on pension's lane to the hub`);
  context.say('attacker', `reads the inquiry off pension's lane to the hub in Redis (job ${inquiry.id}, kept after completion): a signed token of ${inquiryToken.length} characters`);
  return { inquiry, inquiryToken, hubExchange: await hubExchangeOf(context, PENSION_AGENCY, inquiry.id) };
}

export async function hubExchangesForInquiry(context: ScenarioContext, inquiryId: string): Promise<number> {
  return context.databases.hub.exchangeCountForInquiries([inquiryId]);
}

/**
 * Claims of an inquiry about a person: its own code encrypted for its edge to the provider and, for the
 * record, for its edge to the portal (the portal: its self key), as the party's own API builds them.
 */
export function inquiryClaims(
  ring: ServiceKeyRing,
  agencyCode: string,
  request: { provider: string; rule: string; item: string },
  inquiryId = randomUUID(),
): { inquiryId: string; claims: Record<string, unknown> } {
  const bundle = parsePartyBundle(ring.codesBundle);
  const code = AgencyCode.parse(agencyCode);
  const recordTarget = ring.service === MYNA_PORTAL ? { self: true as const } : MYNA_PORTAL;
  const [record, edge] = encryptSubjects(bundle, code, bundle.sending.has(request.provider) ? [recordTarget, request.provider] : [recordTarget]);
  // No edge to that provider: as the agency's own API does, the subject goes under a key no one holds.
  const subject = (edge ?? encryptCode(code, generateKeyPair().publicKey)).toText();
  return {
    inquiryId,
    claims: { inquiryId, ...request, parameters: { fiscalYear: 2025 }, subject, recordSubject: record.toText(), nonce: randomBytes(16).toString('base64url') },
  };
}

/** An inquiry signed by `ring`'s owner, exactly as its API would send it. */
export async function signedInquiry(
  ring: ServiceKeyRing,
  agencyCode: string,
  request: { provider: string; rule: string; item: string },
): Promise<{ inquiryId: string; token: string }> {
  const { inquiryId, claims } = inquiryClaims(ring, agencyCode, request);
  const token = await signMessage(ring, { to: EXCHANGE_HUB, type: MESSAGE_TYPES.inquiry, claims, ttlSeconds: MESSAGE_TTL_SECONDS, id: inquiryId });
  return { inquiryId, token };
}

export { shortCode, maskMyNumber };
export type { HubExchange, HubRejectionRow } from '../federation/service-views';
