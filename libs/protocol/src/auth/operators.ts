import { z } from 'zod';
import { SERVICES, type Service } from '../parties';
import { CODE_ISSUER, EXCHANGE_HUB, HEALTH_AGENCY, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '../parties';

/**
 * What a person operating a service may do there (DESIGN §9). A role is granted
 * by one service only: an officer of tax is nobody at pension.
 */
export const OPERATOR_ROLES = ['registrar', 'agency-officer', 'records-clerk', 'hub-auditor', 'dead-letter-admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export const OPERATOR_ROLE_DESCRIPTIONS: Readonly<Record<OperatorRole, string>> = {
  registrar: 'registers citizens, issues cards, resets PINs, lifts suspensions and revokes (code-issuer)',
  'agency-officer': "enrols persons, makes inquiries and reads the agency's own results and exchange records",
  'records-clerk': 'reads what the agency holds about its persons',
  'hub-auditor': "reads the hub's exchange metadata and refused messages",
  'dead-letter-admin': "lists and replays the service's dead letters",
};

/** The roles each service grants. The key ceremony makes one operator credential per (service, role). */
export const SERVICE_OPERATOR_ROLES: Readonly<Record<Service, readonly OperatorRole[]>> = {
  [CODE_ISSUER]: ['registrar'],
  [EXCHANGE_HUB]: ['hub-auditor', 'dead-letter-admin'],
  [TAX_AGENCY]: ['agency-officer', 'records-clerk', 'dead-letter-admin'],
  [PENSION_AGENCY]: ['agency-officer', 'records-clerk', 'dead-letter-admin'],
  [HEALTH_AGENCY]: ['agency-officer', 'records-clerk', 'dead-letter-admin'],
  [MYNA_PORTAL]: ['dead-letter-admin'],
};

/** `tax-agency.agency-officer`: the OAuth client id of one operator credential. */
export function operatorClientId(service: Service, role: OperatorRole): string {
  return `${service}.${role}`;
}

/** Where each service issues operator access tokens (OAuth 2.0 client credentials, RFC 6749 §4.4). */
export const OPERATOR_TOKEN_PATH = '/oauth/token';
/** Access tokens are short-lived; operators' tools ask for a new one when it lapses. */
export const OPERATOR_TOKEN_TTL_SECONDS = 300;
export const ACCESS_TOKEN_TYPE = 'at+jwt';

const clientId = z.string().regex(/^[a-z-]+\.[a-z-]+$/, 'must be <service>.<role>');

/** What a service keeps of an operator: the client id, its roles and the SHA-256 of its secret. */
export const registeredOperatorSchema = z.strictObject({
  clientId,
  roles: z.array(z.enum(OPERATOR_ROLES)).min(1),
  secretHash: z.string().regex(/^sha256:[A-Za-z0-9_-]{43}$/, 'must be sha256:<base64url>'),
});
export type RegisteredOperator = z.infer<typeof registeredOperatorSchema>;

/** What the operator holds: the credential it authenticates with. Kept outside every service's key folder. */
export const operatorCredentialSchema = z.strictObject({
  format: z.literal('myna/operator-credential'),
  version: z.literal(1),
  service: z.enum(SERVICES),
  clientId,
  clientSecret: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url'),
  roles: z.array(z.enum(OPERATOR_ROLES)).min(1),
});
export type OperatorCredential = z.infer<typeof operatorCredentialSchema>;
