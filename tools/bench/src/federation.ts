// The benchmark's only way into the federation: the services' public HTTP APIs.
import { generateMyNumber } from '@myna/codes';
import {
  CODE_ISSUANCE_MAX_BATCH,
  GENDERS,
  SERVICES,
  type Agency,
  type BasicFacts,
  type Service,
  CODE_ISSUER,
  PENSION_AGENCY,
  TAX_AGENCY,
} from '@myna/protocol';
import { BENCH_FISCAL_YEAR, urlVariable } from './bench-args';
import { errorDetail, JsonHttpClient, TransportError } from './http-json';

/** Services that could not be reached; the message says how to start them. */
export class FederationUnreachableError extends Error {
  override readonly name = 'FederationUnreachableError';
  constructor(readonly problems: string[]) {
    super(
      `the federation is not reachable:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n` +
        'Start it with `npm run demo` (and wait for its table of healthy services), or point the bench at it ' +
        'with --<service>-url / <SERVICE>_URL (e.g. TAX_AGENCY_URL).',
    );
  }
}

/** A service answered something the bench cannot use; retrying will not help. */
export class FederationProtocolError extends Error {
  override readonly name = 'FederationProtocolError';
}

export type InquiryStatus = 'pending' | 'answered' | 'no-record' | 'denied' | 'failed';

/** What GET /inquiries/:id returns (libs/agency Inquiry), the fields the bench reads. */
export interface InquiryView {
  id: string;
  status: InquiryStatus;
  reason: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  answeredAt: string | null;
}

export interface SyntheticPerson extends BasicFacts {
  myNumber: string;
}

export class Federation {
  constructor(
    readonly urls: Readonly<Record<Service, string>>,
    readonly http: JsonHttpClient,
  ) {}

  /** Every service must answer /health with 200 before anything is sent. */
  async checkHealth(): Promise<void> {
    const problems: string[] = [];
    await Promise.all(
      SERVICES.map(async (service) => {
        const url = `${this.urls[service]}/health`;
        try {
          const response = await this.http.get(url);
          if (response.status !== 200) problems.push(`${service} at ${url} answered ${response.status}${errorDetail(response.body)}`);
        } catch (error) {
          if (!(error instanceof TransportError)) throw error;
          problems.push(`${service} at ${url}: ${error.code} (${urlVariable(service)})`);
        }
      }),
    );
    if (problems.length) throw new FederationUnreachableError(problems.sort());
  }

  /** Registers the people at code-issuer, a batch at a time; returns those it registered. */
  async registerCitizens(people: SyntheticPerson[]): Promise<{ registered: SyntheticPerson[]; refused: number }> {
    const registered: SyntheticPerson[] = [];
    let refused = 0;
    for (const batch of chunks(people, CODE_ISSUANCE_MAX_BATCH)) {
      const body = await this.post(CODE_ISSUER, '/citizens/batch', { citizens: batch });
      const results = (body as { results?: unknown }).results;
      if (!Array.isArray(results) || results.length !== batch.length) {
        throw new FederationProtocolError(`code-issuer POST /citizens/batch: expected ${batch.length} results in order`);
      }
      results.forEach((result: { status?: unknown }, index) => {
        if (result?.status === 'registered') registered.push(batch[index]);
        else refused++;
      });
    }
    return { registered, refused };
  }

  /** Enrols the people at an agency (with its own records, when given); returns each one's personId or undefined. */
  async enrol(agency: Agency, people: SyntheticPerson[], records?: (index: number) => Record<string, unknown> | undefined): Promise<(string | undefined)[]> {
    const personIds: (string | undefined)[] = [];
    let offset = 0;
    for (const batch of chunks(people, CODE_ISSUANCE_MAX_BATCH)) {
      const persons = batch.map((person, index) => ({ ...person, ...(records ? { records: records(offset + index) } : {}) }));
      const body = await this.post(agency, '/persons/batch', { persons });
      const outcomes = (body as { outcomes?: unknown }).outcomes;
      if (!Array.isArray(outcomes) || outcomes.length !== batch.length) {
        throw new FederationProtocolError(`${agency} POST /persons/batch: expected ${batch.length} outcomes in order`);
      }
      for (const outcome of outcomes as { status?: unknown; personId?: unknown }[]) {
        const enrolled = (outcome?.status === 'enrolled' || outcome?.status === 'already-enrolled') && typeof outcome.personId === 'string';
        personIds.push(enrolled ? (outcome.personId as string) : undefined);
      }
      offset += batch.length;
    }
    return personIds;
  }

  private async post(service: Service, path: string, payload: unknown): Promise<unknown> {
    const url = `${this.urls[service]}${path}`;
    let response;
    try {
      response = await this.http.post(url, payload);
    } catch (error) {
      if (error instanceof TransportError) throw new FederationUnreachableError([`${service} at ${url}: ${error.code}`]);
      throw error;
    }
    if (response.status < 200 || response.status >= 300) {
      throw new FederationProtocolError(`${service} POST ${path} answered ${response.status}${errorDetail(response.body)}`);
    }
    if (typeof response.body !== 'object' || response.body === null) throw new FederationProtocolError(`${service} POST ${path} answered no JSON object`);
    return response.body;
  }
}

/**
 * Fictional people, unique to this run (the tag is in every name): the register
 * draws nothing, the bench supplies each My Number so that it can enrol the
 * same person at the agencies.
 */
export function syntheticPeople(count: number, runTag: string): SyntheticPerson[] {
  const seen = new Set<string>();
  return Array.from({ length: count }, (_, index) => {
    let myNumber: string;
    do myNumber = generateMyNumber(); while (seen.has(myNumber));
    seen.add(myNumber);
    const year = 1945 + (index % 60);
    const month = String(1 + (index % 12)).padStart(2, '0');
    const day = String(1 + (index % 28)).padStart(2, '0');
    return {
      myNumber,
      name: `Bench ${runTag} ${index}`,
      address: `${index + 1} Benchmark Street, Chiyoda-ku, Tokyo`,
      dateOfBirth: `${year}-${month}-${day}`,
      gender: GENDERS[index % GENDERS.length],
    };
  });
}

/** What the provider holds about person `index`, so that the item asked for has an answer. */
export function providerRecords(provider: Agency, index: number): Record<string, unknown> | undefined {
  switch (provider) {
    case TAX_AGENCY:
      return { incomes: [{ fiscalYear: BENCH_FISCAL_YEAR, incomeYen: 1_500_000 + ((index * 7919) % 6_000_000) }] };
    case PENSION_AGENCY:
      return { benefits: [{ status: 'receiving', annualAmountYen: 600_000 + ((index * 104_729) % 1_800_000) }] };
    default:
      return undefined;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
