// The soak's traffic: synthetic citizens enrolled at every agency, then inquiries
// of every agency rule of the legal table and of requests it does not permit,
// started at a steady rate through the requesters' public APIs.
import { generateMyNumber } from '@myna/codes';
import { OperatorClient } from '@myna/operator-client';
import { AGENCIES, type Agency, CODE_ISSUANCE_MAX_BATCH, CODE_ISSUER, GENDERS, HEALTH_AGENCY, LegalTable, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import { seededRandom } from './fault-schedule';

export interface SoakRequest {
  requester: Agency;
  provider: Agency;
  rule: string;
  item: string;
  parameters?: Record<string, number>;
  /** Whether the legal table permits it (the hub must deny the others). */
  permitted: boolean;
}

const FISCAL_YEAR = 2025;
const PARAMETERS: Record<string, Record<string, number>> = { 'annual-income': { fiscalYear: FISCAL_YEAR } };

/**
 * Every rule of the legal table between agencies, and as many requests it does not
 * permit: pairs with no rule, a rule asked by another requester, a rule's pair with
 * another item. (The portal's rules are the citizen's self-disclosure, started by
 * a signed-in citizen, not by an agency's operator.)
 */
export function soakRequests(table = LegalTable.load()): SoakRequest[] {
  const agencyRules = table.rules.filter((rule) => (AGENCIES as readonly string[]).includes(rule.requester) && (AGENCIES as readonly string[]).includes(rule.provider));
  const permitted = agencyRules.map((rule): SoakRequest => ({
    requester: rule.requester as Agency,
    provider: rule.provider as Agency,
    rule: rule.id,
    item: rule.item,
    parameters: PARAMETERS[rule.item],
    permitted: true,
  }));
  const denied: SoakRequest[] = [
    { requester: TAX_AGENCY, provider: HEALTH_AGENCY, rule: 'R-TAX-HEA-CLAIMS', item: 'medical-claims', permitted: false },
    { requester: PENSION_AGENCY, provider: HEALTH_AGENCY, rule: 'R-PEN-HEA-CLAIMS', item: 'medical-claims', permitted: false },
    { requester: HEALTH_AGENCY, provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: PARAMETERS['annual-income'], permitted: false },
    { requester: TAX_AGENCY, provider: PENSION_AGENCY, rule: 'R-TAX-PEN-BENEFIT', item: 'benefit-status', permitted: false },
  ];
  for (const request of denied) {
    if (table.permits(request.requester, request.provider, request.item, request.rule)) throw new Error(`the legal table now permits ${request.rule} ${request.item}: pick another denied request`);
  }
  return [...permitted, ...denied];
}

/** What person `index` has at `agency`: every tenth person nothing, so that some answers are "no record". */
export function soakRecords(agency: Agency, index: number): Record<string, unknown> | undefined {
  if (index % 10 === 9) return undefined;
  switch (agency) {
    case TAX_AGENCY: return { incomes: [{ fiscalYear: FISCAL_YEAR, incomeYen: 2_000_000 + index * 1_000 }] };
    case PENSION_AGENCY: return { benefits: [{ status: 'receiving', annualAmountYen: 900_000 + index * 100 }] };
    case HEALTH_AGENCY: return { claims: [{ serviceMonth: '2025-06', amountYen: 10_000 + index }] };
  }
}

/** Registers `count` synthetic citizens and enrols each at every agency; returns each agency's person ids, in order. */
export async function enrolSoakCitizens(operators: OperatorClient, count: number, tag: string): Promise<Record<Agency, string[]>> {
  const people = Array.from({ length: count }, (_, index) => ({
    myNumber: generateMyNumber(),
    name: `Soak ${tag} ${index}`,
    address: `${index + 1} Soak Street, Chiyoda-ku, Tokyo`,
    dateOfBirth: `${1950 + (index % 50)}-0${1 + (index % 9)}-1${index % 9}`,
    gender: GENDERS[index % GENDERS.length],
  }));
  const personIds = { [TAX_AGENCY]: [], [PENSION_AGENCY]: [], [HEALTH_AGENCY]: [] } as Record<Agency, string[]>;
  for (let start = 0; start < people.length; start += CODE_ISSUANCE_MAX_BATCH) {
    const batch = people.slice(start, start + CODE_ISSUANCE_MAX_BATCH);
    await operators.as(CODE_ISSUER, 'registrar').expect('POST', '/citizens/batch', { citizens: batch }, [200, 201]);
  }
  for (const agency of AGENCIES) {
    for (let start = 0; start < people.length; start += 250) {
      const persons = people.slice(start, start + 250).map((person, offset) => ({ ...person, ...(soakRecords(agency, start + offset) ? { records: soakRecords(agency, start + offset) } : {}) }));
      const { body } = await operators.as(agency, 'agency-officer').expect<{ outcomes: { status: string; personId?: string }[] }>('POST', '/persons/batch', { persons }, [200, 201]);
      for (const outcome of body.outcomes) {
        if (!outcome.personId) throw new Error(`${agency} did not enrol a soak citizen: ${outcome.status}`);
        personIds[agency].push(outcome.personId);
      }
    }
  }
  return personIds;
}

export interface DriveResult {
  attempted: number;
  accepted: { requester: Agency; inquiryId: string }[];
  /** Requests that got no 202: the API was down (killed), or its queue was (Redis restarting). */
  refused: Record<string, number>;
  seconds: number;
}

/** Starts `count` inquiries at `rate` per second, round-robin over the requests, a seeded person each. */
export async function driveInquiries(options: {
  operators: OperatorClient;
  requests: readonly SoakRequest[];
  personIds: Record<Agency, string[]>;
  count: number;
  rate: number;
  seed: number;
  onProgress: (done: number) => void;
}): Promise<DriveResult> {
  const random = seededRandom(options.seed ^ 0x5eed);
  const result: DriveResult = { attempted: 0, accepted: [], refused: {}, seconds: 0 };
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let index = 0; index < options.count; index++) {
    const due = started + (index * 1000) / options.rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const request = options.requests[index % options.requests.length];
    const people = options.personIds[request.requester];
    const body = { personId: people[Math.floor(random() * people.length)], provider: request.provider, rule: request.rule, item: request.item, ...(request.parameters ? { parameters: request.parameters } : {}) };
    result.attempted++;
    const sent = (async () => {
      try {
        const answer = await options.operators.request<{ inquiryId?: string; code?: string }>(request.requester, 'agency-officer', 'POST', '/inquiries', body);
        if (answer.status === 202 && answer.body.inquiryId) result.accepted.push({ requester: request.requester, inquiryId: answer.body.inquiryId });
        else result.refused[`${answer.status} ${answer.body.code ?? ''}`.trim()] = (result.refused[`${answer.status} ${answer.body.code ?? ''}`.trim()] ?? 0) + 1;
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        result.refused[cause] = (result.refused[cause] ?? 0) + 1;
      }
    })();
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
    if ((index + 1) % 500 === 0) options.onProgress(index + 1);
  }
  await Promise.all(inFlight);
  result.seconds = (Date.now() - started) / 1000;
  return result;
}
