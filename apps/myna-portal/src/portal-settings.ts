import { z } from 'zod';
import { ConfigurationError, type ServiceConfig } from '@myna/platform';
import { defaultUrl, EXCHANGE_HUB, MYNA_PORTAL } from '@myna/protocol';

/**
 * The portal's own settings, on top of the platform's: where the citizen's card
 * reader is (the demo's virtual one runs as its own app, apart from the portal).
 * Parsed once; a bad value stops the service with one line naming the variable.
 */
export interface PortalSettings {
  /** The relying-party name chips sign into their login signatures. */
  relyingParty: typeof MYNA_PORTAL;
  /** `Secure` on the session cookie (and the `__Host-` name): in production. */
  secureCookies: boolean;
  /** The card reader's sign-in page the portal sends citizens to, if one is known. */
  cardReader: { url?: string };
  /** The exchange hub, for the tree heads and proofs of its log (DESIGN §5, "The log"). */
  exchangeHub: { url: string };
  /** When the portal runs as the demo: the demo cards' holders and their PIN, for the sign-in page to name. */
  demoSignIn?: { holders: readonly string[]; pin: string };
}

const portalEnvSchema = z.object({
  /** The card reader the sign-in page sends citizens to (the demo's virtual reader, CARD_READER_URL). */
  CARD_READER_URL: z
    .string()
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value), { message: 'must be an http:// or https:// URL' })
    .optional(),
  /** The exchange hub's HTTP API, where the portal fetches the log's tree heads and proofs for the citizen's browser. */
  EXCHANGE_HUB_URL: z
    .string()
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value), { message: 'must be an http:// or https:// URL' })
    .optional(),
  /** The demo's cards, by holder (comma-separated): set by the demo launcher only. */
  DEMO_CARD_HOLDERS: z
    .string()
    .regex(/^[^,\p{Cc}]{1,60}(,[^,\p{Cc}]{1,60}){0,9}$/u, { message: 'must be up to 10 names, comma-separated' })
    .optional(),
  /** Every demo card's PIN: set by the demo launcher only. */
  DEMO_CARD_PIN: z.string().regex(/^\d{4}$/, { message: 'must be 4 digits' }).optional(),
});

export function parsePortalSettings(config: Pick<ServiceConfig, 'service'>, env: NodeJS.ProcessEnv): PortalSettings {
  const parsed = portalEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const { DEMO_CARD_HOLDERS: holders, DEMO_CARD_PIN: pin } = parsed.data;
  if ((holders === undefined) !== (pin === undefined)) {
    throw new ConfigurationError(holders === undefined ? 'DEMO_CARD_HOLDERS' : 'DEMO_CARD_PIN', 'must be set with the other: the demo names its cards and their PIN together');
  }
  // A real portal never tells anyone a PIN.
  if (pin !== undefined && config.service.environment === 'production') throw new ConfigurationError('DEMO_CARD_PIN', 'must not be set in production');
  return {
    relyingParty: MYNA_PORTAL,
    secureCookies: config.service.environment === 'production',
    cardReader: { url: parsed.data.CARD_READER_URL?.replace(/\/$/, '') },
    exchangeHub: { url: (parsed.data.EXCHANGE_HUB_URL ?? DEFAULT_EXCHANGE_HUB_URL).replace(/\/$/, '') },
    ...(holders !== undefined && pin !== undefined ? { demoSignIn: { holders: holders.split(',').map((name) => name.trim()), pin } } : {}),
  };
}

/** The hub's default port (the README's table of services). */
export const DEFAULT_EXCHANGE_HUB_URL = defaultUrl(EXCHANGE_HUB);

export const PORTAL_SETTINGS = Symbol('PORTAL_SETTINGS');
