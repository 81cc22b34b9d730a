import { randomBytes, randomUUID } from 'node:crypto';
import { encryptCode, AgencyCode, parsePartyBundle } from '@myna/codes';
import {
  EXCHANGE_HUB,
  MESSAGE_TTL_SECONDS,
  MESSAGE_TYPES,
  signMessage,
  type Agency,
  type Service,
  type ServiceKeyRing,
} from '@myna/protocol';
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
  context.say('code-issuer', `registers ${label} (${registered.name}, My Number ${maskMyNumber(registered.myNumber)}), drawing a processing serial only it knows`);
  const incomeYen = canaryAmount();
  const records: Record<Agency, Record<string, unknown>> = {
    'tax-agency': { incomes: [{ fiscalYear: 2025, incomeYen }], assessments: [{ fiscalYear: 2025, residentTaxYen: Math.round(incomeYen / 10) }] },
    'pension-agency': { enrolments: [{ category: 'category-1', enrolledOn: '2010-04-01' }], benefits: [{ status: 'not-receiving', annualAmountYen: 0 }] },
    'health-agency': { coverage: [{ eligibleFrom: '2010-04-01', eligibleUntil: null }], claims: [{ serviceMonth: '2025-06', amountYen: 12_000 }] },
  };
  const citizen: EnrolledCitizen = { ...registered, personIds: {}, incomeYen };
  for (const agency of options.at ?? (['tax-agency', 'pension-agency', 'health-agency'] as const)) {
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
  const [row] = await context.databases.query<{ agency_code: string }>(agency, 'SELECT agency_code FROM person WHERE id = $1', [personId]);
  if (!row) throw new Error(`${agency} has no person ${personId}`);
  return row.agency_code;
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

/** Waits until the portal holds the exchange record of an exchange (it arrives after the requester's result). */
export async function portalRecordOf(context: ScenarioContext, exchangeId: string): Promise<{ portal_code: string; status: string; requester: string; provider: string; rule: string }> {
  return pollUntil(
    async () => (await context.databases.query<{ portal_code: string; status: string; requester: string; provider: string; rule: string }>('myna-portal', 'SELECT portal_code, status, requester, provider, rule FROM exchange_record WHERE exchange_id = $1', [exchangeId]))[0],
    { what: `the portal's record of exchange ${exchangeId}` },
  );
}

/** Reads a party's key file: the runner then holds that party's secrets, and the trace says so. */
export async function insiderKeys(context: ScenarioContext, service: Service, as: 'attacker' | 'auditor', why: string): Promise<ServiceKeyRing> {
  const ring = await context.keys.ring(service);
  context.say(as, `takes ${service}'s key file (${context.keys.path(service)}): ${why}`);
  return ring;
}

export interface HubRejectionRow {
  job_id: string;
  job_name: string;
  reason: string;
  detail: string;
  sender: string | null;
}

/** The hub's record of a refused job, read from its database (the auditor's dump), polled until it is there. */
export async function hubRejectionOf(context: ScenarioContext, jobId: string): Promise<HubRejectionRow> {
  return pollUntil(
    async () => (await context.databases.query<HubRejectionRow>(EXCHANGE_HUB, 'SELECT job_id, job_name, reason, detail, sender FROM rejected_message WHERE job_id = $1 ORDER BY id', [jobId]))[0],
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
  /** Further proof that nothing was delivered or changed. */
  nothingChanged?: () => Promise<{ holds: boolean; detail: string }>;
}

/**
 * Puts a crafted message on the hub's inbound queue, as an attacker with
 * access to Redis would, then checks what the hub did: the refusal recorded in
 * its database and listed by GET /rejections, the job dead-lettered, and nothing
 * opened or delivered.
 */
export async function injectIntoHub(context: ScenarioContext, message: InjectedMessage): Promise<boolean> {
  await context.queues.inject(EXCHANGE_HUB, message.jobName, message.data, message.jobId);
  context.say('attacker', `puts ${message.what} on exchange-hub's inbound queue (job ${message.jobId})`);
  const rejection = await hubRejectionOf(context, message.jobId);
  context.say('exchange-hub', `refuses job ${message.jobId}: ${rejection.reason} — ${rejection.detail}`);
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

/** Waits until an agency's own database records that it refused a job (agencies keep their own rejected_message). */
export async function agencyRejectionOf(context: ScenarioContext, agency: Agency, jobId: string): Promise<{ reason: string; detail: string }> {
  return pollUntil(
    async () => (await context.databases.query<{ reason: string; detail: string }>(agency, 'SELECT reason, detail FROM rejected_message WHERE job_id = $1', [jobId]))[0],
    { what: `${agency}'s rejection of job ${jobId}` },
  );
}

/** A real exchange to capture material from: pension asks tax for the citizen's income. */
export async function capturedExchange(context: ScenarioContext, citizen: EnrolledCitizen): Promise<{ inquiry: InquiryView; inquiryToken: string; exchangeId: string }> {
  const inquiry = await exchange(context, 'pension-agency', citizen, { provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income' });
  if (inquiry.status !== 'answered' || !inquiry.exchangeId) throw new Error(`the exchange to capture from did not complete: ${inquiry.status} ${inquiry.reason ?? ''}`);
  const inquiryToken = await context.queues.tokenOf(EXCHANGE_HUB, inquiry.id);
  if (!inquiryToken) throw new Error(`the inquiry ${inquiry.id} is no longer on the hub's queue`);
  context.say('attacker', `reads the inquiry off the hub's queue in Redis (job ${inquiry.id}, kept after completion): a signed token of ${inquiryToken.length} characters`);
  return { inquiry, inquiryToken, exchangeId: inquiry.exchangeId };
}

export async function hubExchangesForInquiry(context: ScenarioContext, inquiryId: string): Promise<number> {
  return context.databases.count(EXCHANGE_HUB, 'SELECT count(*) FROM exchange WHERE inquiry_id = $1', [inquiryId]);
}

/** Claims of an inquiry about a person: the subject is the requester's own code, freshly encrypted to itself. */
export function inquiryClaims(
  ring: ServiceKeyRing,
  agencyCode: string,
  request: { provider: string; rule: string; item: string },
  inquiryId = randomUUID(),
): { inquiryId: string; claims: Record<string, unknown> } {
  const bundle = parsePartyBundle(ring.codesBundle);
  const subject = encryptCode(AgencyCode.parse(agencyCode), bundle.publicKey).toText();
  return {
    inquiryId,
    claims: { inquiryId, ...request, parameters: { fiscalYear: 2025 }, subject, nonce: randomBytes(16).toString('base64url') },
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
