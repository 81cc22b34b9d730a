import path from 'node:path';
import { z } from 'zod';
import { CARD_READER, EndpointSettingError, LOOPBACK, MYNA_PORTAL, demoLayout, findWorkspaceRoot, resolveEndpoints } from '@myna/protocol';

/**
 * The card reader's settings: where it listens, where the cards "in the wallet"
 * are, and which relying parties it will sign in to — by name and origin, so
 * that a page elsewhere cannot use it as a signing service.
 */
export interface ReaderSettings {
  host: string;
  port: number;
  cardStoreDir: string;
  /** Relying-party name → the origin the signed answer may be sent back to. */
  relyingParties: ReadonlyMap<string, string>;
  /** Budget of PIN entries per caller and minute. */
  pinEntriesPerMinute: number;
}

/**
 * Defaults from the roster, read as every tool reads it: the reader's port is
 * CARD_READER_PORT's (else the roster's), the portal it signs in to is
 * MYNA_PORTAL_URL's or MYNA_PORTAL_PORT's (else the roster's).
 */
function settingsSchema(env: NodeJS.ProcessEnv) {
  const endpoints = resolveEndpoints(env);
  return z.object({
    HOST: z.string().min(1).default(LOOPBACK),
    PORT: z.coerce.number().int().min(0).max(65535).default(endpoints[CARD_READER].port),
    CARD_STORE_DIR: z.string().min(1).default(demoLayout(findWorkspaceRoot(process.cwd())).cardsDir),
    READER_RELYING_PARTIES: z
      .string()
      .regex(/^[a-z][a-z0-9-]*=https?:\/\/[^\s,=]+(,[a-z][a-z0-9-]*=https?:\/\/[^\s,=]+)*$/, `must be name=origin[,name=origin…], e.g. ${MYNA_PORTAL}=${endpoints[MYNA_PORTAL].url}`)
      .default(`${MYNA_PORTAL}=${endpoints[MYNA_PORTAL].url}`),
    RATE_LIMIT_PIN_ENTRY: z
      .string()
      .regex(/^\d{1,6}$/, 'must be a number of PIN entries per minute')
      .default('10'),
  });
}

export class ReaderSettingsError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable} ${reason}`);
  }
}

export function parseReaderSettings(env: NodeJS.ProcessEnv): ReaderSettings {
  let schema: ReturnType<typeof settingsSchema>;
  try {
    schema = settingsSchema(env);
  } catch (error) {
    if (error instanceof EndpointSettingError) throw new ReaderSettingsError('environment', error.problems.join('; '));
    throw error;
  }
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReaderSettingsError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const relyingParties = new Map(
    parsed.data.READER_RELYING_PARTIES.split(',').map((entry) => {
      const [name, url] = entry.split('=');
      return [name, new URL(url).origin] as const;
    }),
  );
  return {
    host: parsed.data.HOST,
    port: parsed.data.PORT,
    cardStoreDir: path.resolve(parsed.data.CARD_STORE_DIR),
    relyingParties,
    pinEntriesPerMinute: Number(parsed.data.RATE_LIMIT_PIN_ENTRY),
  };
}

export const READER_SETTINGS = Symbol('READER_SETTINGS');
