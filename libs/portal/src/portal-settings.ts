import { z } from 'zod';
import { ConfigurationError, type ServiceConfig } from '@myna/platform';

/**
 * The portal's own settings, on top of the platform's: where the citizen's card
 * reader is (the demo's virtual one runs as its own app, apart from the portal).
 * Parsed once; a bad value stops the service with one line naming the variable.
 */
export interface PortalSettings {
  /** The relying-party name chips sign into their login signatures. */
  relyingParty: 'myna-portal';
  /** `Secure` on the session cookie (and the `__Host-` name): in production. */
  secureCookies: boolean;
  /** The card reader's sign-in page the portal sends citizens to, if one is known. */
  cardReader: { url?: string };
}

const portalEnvSchema = z.object({
  /** The card reader the sign-in page sends citizens to (the demo's virtual reader, e.g. http://127.0.0.1:4006). */
  CARD_READER_URL: z
    .string()
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value), { message: 'must be an http:// or https:// URL' })
    .optional(),
});

export function parsePortalSettings(config: Pick<ServiceConfig, 'service'>, env: NodeJS.ProcessEnv): PortalSettings {
  const parsed = portalEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  return {
    relyingParty: 'myna-portal',
    secureCookies: config.service.environment === 'production',
    cardReader: { url: parsed.data.CARD_READER_URL?.replace(/\/$/, '') },
  };
}

export const PORTAL_SETTINGS = Symbol('PORTAL_SETTINGS');
