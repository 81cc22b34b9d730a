import { AGENCIES, CODE_ISSUER, MYNA_PORTAL, redactUrl, type Service, SERVICES, TAX_AGENCY } from '@myna/protocol';
import { CodeSearch, describeScan, type Databases, type TableShape } from '../federation/databases';
import type { Scenario } from '../runner/scenario';
import { agencyCodeOf, newCitizen, shortCode } from './scenario-support';

const CODE_HOLDING_DATABASES: Service[] = [...AGENCIES, MYNA_PORTAL];

/** Where a database is: host, port and name; two services on one database would share it. */
function databaseLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}/${parsed.pathname.slice(1) || 'postgres'}`;
  } catch {
    return url;
  }
}

export const decentralizedStorage: Scenario = {
  name: 'decentralized-storage',
  claim:
    "Personal data stays decentralized: each agency keeps its own records in its own database, keyed by its own agency code; no agency database holds a My Number, a residence code, a processing serial or another party's code, and no one else holds an agency's records.",
  proves: 'six separate databases; an identifier scan of every agency and portal database finds nothing; the citizen’s My Number is only at code-issuer, each agency’s codes and records only at that agency',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen');

    context.say('auditor', 'takes a dump of every service’s own database (as given by each service’s DATABASE_URL)');
    const locations = SERVICES.map((service) => `${service}: ${databaseLocation(redactUrl(context.target.databaseUrls[service]))}`);
    context.check(
      'every service has a database of its own',
      new Set(SERVICES.map((service) => databaseLocation(context.target.databaseUrls[service]))).size === SERVICES.length,
      locations.join('; '),
    );
    const shapes = new Map<Service, TableShape[]>();
    for (const service of SERVICES) shapes.set(service, await context.databases.shapes(service));
    context.measure(
      'what each database holds',
      SERVICES.map((service) => `${service}: ${shapes.get(service)!.map((table) => `${table.table}(${table.rowCount})`).join(', ')}`).join('; '),
    );

    // The identifier scan of @myna/agency: column names and value shapes.
    for (const service of CODE_HOLDING_DATABASES) {
      const scan = await context.databases.scan(service);
      context.check(`${service}'s database has no column or value shaped like a My Number, residence code or processing serial`, scan.findings.length === 0, describeScan(scan), scan);
    }

    // One streamed pass over every database: where the citizen's identifiers and tax's record
    // of them occur, and which of every code holder's codes (collected first) sit elsewhere.
    const income = String(citizen.incomeYen);
    const ownCodes = new Map<Service, Set<string>>();
    for (const owner of CODE_HOLDING_DATABASES) ownCodes.set(owner, await codesKept(context.databases, owner, shapes.get(owner)!));
    const found = new Map<Service, StreamedSearch>();
    for (const service of SERVICES) {
      found.set(service, await searchDatabase(context.databases, service, shapes.get(service)!, [citizen.myNumber, citizen.residenceCode, income], ownCodes));
    }
    const holding = (needle: number) => SERVICES.filter((service) => found.get(service)!.needles[needle].size > 0);
    const placesOf = (service: Service, needle: number) => [...found.get(service)!.needles[needle]];

    // The citizen's own identifiers: at the issuer (positive control), nowhere else.
    const myNumberAt = holding(0);
    const residenceAt = holding(1);
    context.check(
      'the citizen’s My Number and residence code are held by code-issuer and by no other service',
      myNumberAt.join() === CODE_ISSUER && residenceAt.join() === CODE_ISSUER,
      `My Number found in: ${myNumberAt.join(', ') || 'nothing'}; residence code found in: ${residenceAt.join(', ') || 'nothing'}` +
        (myNumberAt.length > 1 ? ` (at ${myNumberAt.filter((s) => s !== CODE_ISSUER).map((s) => `${s} ${placesOf(s, 0).join(', ')}`).join('; ')})` : ''),
    );

    // Each agency's codes: in its own database only.
    const codes = new Map<string, string>();
    for (const agency of AGENCIES) {
      const code = await agencyCodeOf(context, agency, citizen.personIds[agency]!);
      codes.set(agency, code);
      context.say(agency, `keeps the citizen under its own code ${shortCode(code)}`);
    }
    context.check(
      'the citizen has a different code at each agency',
      new Set(codes.values()).size === AGENCIES.length,
      [...codes].map(([agency, code]) => `${agency} ${shortCode(code)}`).join(', '),
    );
    const misplaced: string[] = [];
    for (const owner of CODE_HOLDING_DATABASES) {
      for (const other of SERVICES.filter((service) => service !== owner)) {
        const leaked = found.get(other)!.codes.get(owner)!;
        if (leaked.size > 0) misplaced.push(`${leaked.size} of ${owner}'s codes in ${other}'s database (${[...leaked.values()][0].join(', ')})`);
      }
      context.say('auditor', `collects the ${ownCodes.get(owner)!.size} codes ${owner} keeps and searches the five other databases for them`);
    }
    context.check('no party’s codes are in any other service’s database', misplaced.length === 0, misplaced.join('; ') || 'none found elsewhere');

    // Tax's record about the citizen: at tax only (no exchange about this citizen was made).
    const incomeAt = holding(2);
    context.check(
      'tax’s record about the citizen (a nine-digit income) is in tax’s database and nowhere else',
      incomeAt.join() === TAX_AGENCY,
      `the income ${income} was found in: ${incomeAt.map((service) => `${service} (${placesOf(service, 2).join(', ')})`).join('; ') || 'nothing'}`,
    );
    return context.conclude();
  },
};

/** The codes a code holder keeps (its `agency_code` and `portal_code` columns, prefix off), streamed. */
async function codesKept(databases: Databases, owner: Service, shapes: readonly TableShape[]): Promise<Set<string>> {
  const codes = new Set<string>();
  for (const table of shapes) {
    const columns = table.columns.filter((column) => column.name === 'agency_code' || column.name === 'portal_code');
    if (columns.length === 0) continue;
    for await (const row of databases.rows(owner, { table: table.table, columns })) for (const value of row) if (value) codes.add(value.slice(4));
  }
  return codes;
}

interface StreamedSearch {
  /** Per needle, the `table.column`s that hold it. */
  needles: Set<string>[];
  /** Per code holder, its codes found here, each with the `table.column`s that hold it. */
  codes: Map<Service, Map<string, string[]>>;
}

/** Streams one database once: where each needle occurs, and which of each other holder's codes occur, and where. */
async function searchDatabase(
  databases: Databases,
  service: Service,
  shapes: readonly TableShape[],
  needles: readonly string[],
  ownCodes: ReadonlyMap<Service, ReadonlySet<string>>,
): Promise<StreamedSearch> {
  const result: StreamedSearch = { needles: needles.map(() => new Set()), codes: new Map() };
  const searches = [...ownCodes].filter(([owner]) => owner !== service).map(([owner, codes]) => ({ owner, search: new CodeSearch(codes), places: new Map<string, string[]>() }));
  for (const table of shapes) {
    const places = table.columns.map((column) => `${table.table}.${column.name}`);
    for await (const row of databases.rows(service, table)) {
      row.forEach((value, column) => {
        if (value === null) return;
        needles.forEach((needle, index) => {
          if (value.includes(needle)) result.needles[index].add(places[column]);
        });
        for (const { search, places: where } of searches) {
          for (const code of search.scan(value)) {
            const at = where.get(code) ?? [];
            if (!at.includes(places[column])) where.set(code, [...at, places[column]]);
          }
        }
      });
    }
  }
  for (const { owner, places } of searches) result.codes.set(owner, places);
  return result;
}
