// The demo's citizens and their cards, for a federation started without the demo
// launcher (docker compose): registers them at code-issuer and enrols them at the
// agencies as the registrar and the agencies' officers, then puts their cards in
// the card reader's store. Safe to run again: what exists is kept.
import { provisionDemoCitizens } from '@myna/card-wallet';
import { OperatorClient } from '@myna/operator-client';
import { z } from 'zod';
import { CODE_ISSUER, HEALTH_AGENCY, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';

const settingsSchema = z.object({
  CODE_ISSUER_URL: z.url(),
  TAX_AGENCY_URL: z.url(),
  PENSION_AGENCY_URL: z.url(),
  HEALTH_AGENCY_URL: z.url(),
  OPERATOR_CREDENTIALS_DIR: z.string().min(1),
  CARD_STORE_DIR: z.string().min(1),
});

async function main(): Promise<number> {
  const parsed = settingsSchema.safeParse(process.env);
  if (!parsed.success) {
    process.stderr.write(`demo-cards: configuration error: ${String(parsed.error.issues[0].path[0])} ${parsed.error.issues[0].message}\n`);
    return 1;
  }
  const env = parsed.data;
  const operators = new OperatorClient({
    credentialsDir: env.OPERATOR_CREDENTIALS_DIR,
    urls: { [CODE_ISSUER]: env.CODE_ISSUER_URL, [TAX_AGENCY]: env.TAX_AGENCY_URL, [PENSION_AGENCY]: env.PENSION_AGENCY_URL, [HEALTH_AGENCY]: env.HEALTH_AGENCY_URL },
  });
  await provisionDemoCitizens({ operators, cardStoreDir: env.CARD_STORE_DIR, log: (line) => process.stdout.write(`${line}\n`) });
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`demo-cards: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
