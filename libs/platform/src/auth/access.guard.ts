import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ACCESS_RULE, type AccessRule } from './access-rule';
import { ForbiddenError, InvalidCredentialsError, UnauthenticatedError } from './access.exception';
import { OperatorTokens } from './operator-tokens';
import { CITIZEN_SESSIONS, describePrincipal, PRINCIPAL, type CitizenSessions, type Principal } from './principal';
import { ServiceRequests } from './service-requests';

/**
 * The one door of every service (DESIGN §9): deny by default. A route without an
 * access rule is refused to everyone; a public route is open; any other needs a
 * principal the rule names — an operator with a role, a service with a signed
 * request, or a signed-in citizen. No credentials is 401; credentials that do
 * not hold are 401; a known caller without the right is 403.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(OperatorTokens) private readonly tokens: OperatorTokens,
    @Inject(ServiceRequests) private readonly services: ServiceRequests,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  /** The portal's session resolver, when this service has one. */
  private get citizens(): CitizenSessions | undefined {
    try {
      return this.moduleRef.get<CitizenSessions>(CITIZEN_SESSIONS, { strict: false });
    } catch {
      return undefined;
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) throw new ForbiddenError('this route states no access rule, so it is closed to everyone');
    if (rule.public) return true;
    const request = context.switchToHttp().getRequest<Request & { rawBody?: Buffer; [PRINCIPAL]?: Principal }>();
    const principal = await this.authenticate(request, rule);
    if (!principal) {
      if (rule.citizen?.signInPage && request.method === 'GET') {
        context.switchToHttp().getResponse<Response>().redirect(303, rule.citizen.signInPage);
        return false;
      }
      throw new UnauthenticatedError(accepted(rule));
    }
    if (!permits(rule, principal)) throw new ForbiddenError(`${describePrincipal(principal)} may not call this route; it is for ${accepted(rule)}`);
    request[PRINCIPAL] = principal;
    return true;
  }

  /** The caller, from the first kind of credential the request carries; undefined when it carries none. */
  private async authenticate(request: Request & { rawBody?: Buffer }, rule: AccessRule): Promise<Principal | undefined> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization);
      if (!bearer) throw new InvalidCredentialsError('the Authorization header must be "Bearer <access token>"');
      return this.tokens.verify(bearer[1]);
    }
    if (request.headers['signature-input'] !== undefined || request.headers.signature !== undefined) {
      return this.services.authenticate(request);
    }
    if (rule.citizen && this.citizens) return this.citizens.resolve(request);
    return undefined;
  }
}

function permits(rule: AccessRule, principal: Principal): boolean {
  if (principal.kind === 'operator') return principal.roles.some((role) => rule.roles?.includes(role));
  if (principal.kind === 'service') return rule.services?.includes(principal.service) ?? false;
  return rule.citizen !== undefined;
}

/** "an operator with the agency-officer role, or the service myna-portal", for refusals. */
export function accepted(rule: AccessRule): string {
  const parts = [
    ...(rule.roles?.length ? [`an operator with the ${rule.roles.join(' or ')} role (a bearer token from POST /oauth/token)`] : []),
    ...(rule.services?.length ? [`a signed request from ${rule.services.join(' or ')}`] : []),
    ...(rule.citizen ? ['a signed-in citizen'] : []),
  ];
  return parts.join(', or ') || 'nobody';
}
