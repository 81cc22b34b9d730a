import { z } from 'zod';
import { certificateSerialSchema } from './card-certificate';

/**
 * How the portal, and only the portal, obtains its own code (機関別符号) for the
 * holder of a valid card certificate: a request signed by myna-portal and sealed
 * to code-issuer, carrying the certificate serial; an answer signed by the issuer
 * and sealed to myna-portal, carrying the portal's code. Nobody else can read the
 * code, and the issuer learns only that this certificate logged in to the portal.
 */
export const PORTAL_CODE_REQUEST_TYPE = 'portal-code-request+jwt';
export const PORTAL_CODE_RESPONSE_TYPE = 'portal-code-response+jwt';
export const PORTAL_CODE_TTL_SECONDS = 60;

export const portalCodeRequestClaimsSchema = z.object({ certificateSerial: certificateSerialSchema });
export type PortalCodeRequestClaims = z.infer<typeof portalCodeRequestClaimsSchema>;

export const portalCodeResponseClaimsSchema = z.object({
  requestId: z.string().min(1).max(128),
  certificateSerial: certificateSerialSchema,
  portalCode: z.string().regex(/^ac1\.[A-Za-z0-9_-]{43}$/, 'portalCode must be an agency code'),
});
export type PortalCodeResponseClaims = z.infer<typeof portalCodeResponseClaimsSchema>;
