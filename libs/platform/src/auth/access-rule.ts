import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiOAuth2, ApiSecurity } from '@nestjs/swagger';
import type { OperatorRole, Service } from '@myna/protocol';

/**
 * Who may call a route (DESIGN §9). Every route states it; a route without a
 * rule is refused to everyone. A public route says why it is public.
 */
export interface AccessRule {
  /** Why anyone may call it (health, docs, sign-in, the hotline, the token endpoint). */
  public?: string;
  /** Operators holding any of these roles at this service. */
  roles?: readonly OperatorRole[];
  /** Services calling with a signed request (RFC 9421). */
  services?: readonly Service[];
  /** A citizen signed in at the portal; `signInPage` is where a browser without a session is sent. */
  citizen?: { signInPage?: string };
}

export const ACCESS_RULE = 'myna:access-rule';

/** OpenAPI security scheme names, declared once by the service bootstrap. */
export const OPERATOR_SECURITY = 'operator';
export const OPERATOR_BEARER_SECURITY = 'operator-token';
export const SERVICE_SECURITY = 'service-signature';
export const CITIZEN_SECURITY = 'citizen-session';

export function Access(rule: AccessRule): MethodDecorator & ClassDecorator {
  const documented = [
    ...(rule.roles?.length ? [ApiOAuth2([...rule.roles], OPERATOR_SECURITY), ApiBearerAuth(OPERATOR_BEARER_SECURITY)] : []),
    ...(rule.services?.length ? [ApiSecurity(SERVICE_SECURITY)] : []),
    ...(rule.citizen ? [ApiSecurity(CITIZEN_SECURITY)] : []),
  ];
  return applyDecorators(SetMetadata(ACCESS_RULE, rule), ...documented);
}

/** Anyone may call it; `why` is kept with the rule and listed in the route audit. */
export const Public = (why: string) => Access({ public: why });

/** Operators of this service holding one of these roles. */
export const Operators = (...roles: OperatorRole[]) => Access({ roles });

/** These services, authenticated by their request signature. */
export const Services = (...services: Service[]) => Access({ services });
