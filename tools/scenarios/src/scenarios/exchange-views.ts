import {
  SERVICES,
  type CodeHolder,
  type Service,
  CODE_ISSUER,
  EXCHANGE_HUB,
  HEALTH_AGENCY,
  MYNA_PORTAL,
  PENSION_AGENCY,
  TAX_AGENCY,
} from '@myna/protocol';
import { shownText } from '../analysis/shown';
import { maskMyNumber, shortCode } from '../citizens/synthetic-citizen';
import type { ScenarioContext } from '../runner/scenario';
import type { ExchangeViewsExhibit, PartyColumn } from '../runner/trace-format';

/**
 * "One exchange, six views" (reports/index.html): what one exchange wrote to
 * each party's own database, and where in each database the citizen's
 * identifiers, codes and the answer are, or are not. Read from the databases as
 * the auditor reads them; it never decides a verdict.
 */

/** Where each database's history stood before the exchange. */
export type WriteMarks = Record<Service, string> & { at: string };

export async function markDatabases(context: ScenarioContext): Promise<WriteMarks> {
  const marks = { at: new Date().toISOString() } as WriteMarks;
  for (const service of SERVICES) marks[service] = await context.databases.writeMark(service);
  return marks;
}

export interface ExchangeSecrets {
  myNumber: string;
  residenceCode: string;
  /** The codes each party keeps for the citizen (read from its own database). */
  codes: Partial<Record<CodeHolder, string>>;
  /** The answer's value as it would be stored, and who may hold it (the provider's record, the requester's result). */
  answer?: { label: string; value: string; holders: Service[] };
}

const CODE_LABELS: Record<CodeHolder, string> = {
  [TAX_AGENCY]: 'tax’s code (機関別符号)',
  [PENSION_AGENCY]: 'pension’s code (機関別符号)',
  [HEALTH_AGENCY]: 'health’s code (機関別符号)',
  [MYNA_PORTAL]: 'the portal’s code (機関別符号)',
};

function knowsCitizenAs(service: Service, secrets: ExchangeSecrets): string {
  if (service === CODE_ISSUER) return `My Number ${maskMyNumber(secrets.myNumber)} and the residence code, in its register`;
  if (service === EXCHANGE_HUB) return 'no one: it keeps no code, only ciphertexts it cannot open';
  const code = secrets.codes[service];
  return code ? `its own code ${shortCode(code)}` : 'not at all: the citizen is not enrolled here';
}

/** Records the exhibit: rows each party's database gained since the marks, and where each secret is held. */
export async function showExchangeViews(
  context: ScenarioContext,
  marks: WriteMarks,
  view: { variant: ExchangeViewsExhibit['variant']; title: string; outcome: string; secrets: ExchangeSecrets },
): Promise<void> {
  const { secrets } = view;
  const searched: { label: string; needle: string; holders: Service[] }[] = [
    { label: 'the My Number (個人番号)', needle: secrets.myNumber, holders: [CODE_ISSUER] },
    { label: 'the residence code (住民票コード)', needle: secrets.residenceCode, holders: [CODE_ISSUER] },
    ...Object.entries(secrets.codes).map(([holder, code]) => ({
      label: CODE_LABELS[holder as CodeHolder],
      // The code's body: found whether it is kept with its prefix or without.
      needle: code.replace(/^ac1\./, ''),
      holders: [holder as Service],
    })),
    ...(secrets.answer ? [{ label: secrets.answer.label, needle: secrets.answer.value, holders: secrets.answer.holders }] : []),
  ];
  const parties: PartyColumn[] = [];
  for (const service of SERVICES) {
    const written = await context.databases.writtenSince(service, marks[service]);
    const places = await context.databases.whereFound(
      service,
      searched.map((secret) => secret.needle),
    );
    parties.push({
      party: service,
      knowsCitizenAs: knowsCitizenAs(service, secrets),
      written: written.map(({ table, rows }) => ({
        table,
        rows: rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, value === null ? null : shownText(value)]))),
      })),
      secrets: searched.map((secret, index) => ({ label: secret.label, expected: secret.holders.includes(service), foundAt: places[index] })),
    });
  }
  context.exhibit({ kind: 'exchange-views', variant: view.variant, title: view.title, outcome: view.outcome, startedAt: marks.at, finishedAt: new Date().toISOString(), parties });
}
