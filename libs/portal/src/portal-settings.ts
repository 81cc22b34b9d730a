import path from 'node:path';
import { z } from 'zod';
import { ConfigurationError, type ServiceConfig } from '@myna/platform';

/**
 * The portal's own settings, on top of the platform's: whether the demo's
 * virtual card reader is mounted, and where its card store is. Parsed once;
 * a bad value stops the service with one line naming the variable.
 */
export interface PortalSettings {
  /** The relying-party name chips sign into their login signatures. */
  relyingParty: 'myna-portal';
  /** `Secure` on the session cookie (and the `__Host-` name): in production. */
  secureCookies: boolean;
  cardReader: { enabled: boolean; storeDir: string };
}

const portalEnvSchema = z.object({
  /** The demo's virtual card reader at /card-reader: on by default except in production. */
  CARD_READER: z.enum(['on', 'off']).optional(),
  CARD_STORE_DIR: z.string().min(1).default('.data/cards'),
});

export function parsePortalSettings(config: Pick<ServiceConfig, 'service'>, env: NodeJS.ProcessEnv): PortalSettings {
  const parsed = portalEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const production = config.service.environment === 'production';
  return {
    relyingParty: 'myna-portal',
    secureCookies: production,
    cardReader: { enabled: (parsed.data.CARD_READER ?? (production ? 'off' : 'on')) === 'on', storeDir: path.resolve(parsed.data.CARD_STORE_DIR) },
  };
}

export const PORTAL_SETTINGS = Symbol('PORTAL_SETTINGS');
