import { AGENCIES, SERVICES, type Service, CODE_ISSUER, MYNA_PORTAL, TAX_AGENCY } from '@myna/protocol';
import { codesFoundIn, describeScan, dumpTexts, locate, type TableDump } from '../federation/databases';
import { redactUrl } from '../federation/federation-target';
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
    const dumps = new Map<Service, TableDump[]>();
    for (const service of SERVICES) dumps.set(service, await context.databases.dump(service));
    context.measure(
      'what each database holds',
      SERVICES.map((service) => `${service}: ${dumps.get(service)!.map((table) => `${table.table}(${table.rowCount})`).join(', ')}`).join('; '),
    );

    // The identifier scan of @myna/agency: column names and value shapes.
    for (const service of CODE_HOLDING_DATABASES) {
      const scan = await context.databases.scan(service);
      context.check(`${service}'s database has no column or value shaped like a My Number, residence code or processing serial`, scan.findings.length === 0, describeScan(scan), scan);
    }

    // The citizen's own identifiers: at the issuer (positive control), nowhere else.
    const texts = new Map<Service, string[]>([...dumps].map(([service, dump]) => [service, dumpTexts(dump)]));
    const holding = (needle: string) => SERVICES.filter((service) => texts.get(service)!.some((text) => text.includes(needle)));
    const myNumberAt = holding(citizen.myNumber);
    const residenceAt = holding(citizen.residenceCode);
    context.check(
      'the citizen’s My Number and residence code are held by code-issuer and by no other service',
      myNumberAt.join() === CODE_ISSUER && residenceAt.join() === CODE_ISSUER,
      `My Number found in: ${myNumberAt.join(', ') || 'nothing'}; residence code found in: ${residenceAt.join(', ') || 'nothing'}` +
        (myNumberAt.length > 1 ? ` (at ${myNumberAt.filter((s) => s !== CODE_ISSUER).map((s) => `${s} ${locate(dumps.get(s)!, citizen.myNumber).join(', ')}`).join('; ')})` : ''),
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
      const ownCodes = new Set<string>();
      for (const table of dumps.get(owner)!) {
        for (const column of table.columns.filter((candidate) => candidate.name === 'agency_code' || candidate.name === 'portal_code')) {
          for (const value of column.values) if (value) ownCodes.add(value.slice(4));
        }
      }
      for (const other of SERVICES.filter((service) => service !== owner)) {
        const leaked = codesFoundIn(texts.get(other)!, ownCodes);
        if (leaked.length > 0) misplaced.push(`${leaked.length} of ${owner}'s codes in ${other}'s database (${locate(dumps.get(other)!, leaked[0]).join(', ')})`);
      }
      context.say('auditor', `collects the ${ownCodes.size} codes ${owner} keeps and searches the five other databases for them`);
    }
    context.check('no party’s codes are in any other service’s database', misplaced.length === 0, misplaced.join('; ') || 'none found elsewhere');

    // Tax's record about the citizen: at tax only (no exchange about this citizen was made).
    const income = String(citizen.incomeYen);
    const incomeAt = holding(income);
    context.check(
      'tax’s record about the citizen (a nine-digit income) is in tax’s database and nowhere else',
      incomeAt.join() === TAX_AGENCY,
      `the income ${income} was found in: ${incomeAt.map((service) => `${service} (${locate(dumps.get(service)!, income).join(', ')})`).join('; ') || 'nothing'}`,
    );
    return context.conclude();
  },
};
