import type { OperatorRole, Service } from '@myna/protocol';
import type { ScenarioContext } from '../runner/scenario';

/** One try at a door: who tried, what the service answered. */
export interface Knock {
  who: string;
  status: number;
  code?: string;
  /** The answer's text, to search for what must not be in it. */
  text: string;
}

export interface KnockOptions {
  body?: unknown;
  /** Roles of this service's own operators that the route is not for. */
  wrongRoles?: readonly OperatorRole[];
  /** An operator of another service, bringing its own (genuine) token here. */
  otherService?: { service: Service; role: OperatorRole };
}

/**
 * Tries a route the way an outsider, or the wrong insider, would: with no
 * credentials, with a made-up bearer token, with another service's genuine
 * operator token, and as this service's operators of other roles.
 */
export async function knock(context: ScenarioContext, service: Service, method: 'GET' | 'POST', path: string, options: KnockOptions = {}): Promise<Knock[]> {
  const knocks: Knock[] = [];
  const record = (who: string, answer: { status: number; body: { code?: unknown }; text: string }) =>
    knocks.push({ who, status: answer.status, code: typeof answer.body.code === 'string' ? answer.body.code : undefined, text: answer.text });
  record('no credentials', await context.federation.request(service, method, path, { body: options.body }));
  record('a made-up bearer token', await context.federation.request(service, method, path, { body: options.body, headers: { authorization: `Bearer ${madeUpToken()}` } }));
  if (options.otherService) {
    const token = await context.federation.operators.token(options.otherService.service, options.otherService.role);
    record(`${options.otherService.service}'s ${options.otherService.role}`, await context.federation.request(service, method, path, { body: options.body, headers: { authorization: `Bearer ${token}` } }));
  }
  for (const role of options.wrongRoles ?? []) record(`${service}'s ${role}`, await context.federation.request(service, method, path, { body: options.body, as: role }));
  return knocks;
}

/** Every knock refused at the door: 401 without valid credentials, 403 for a known caller without the role. */
export function allRefused(knocks: readonly Knock[]): boolean {
  return knocks.every((attempt) => attempt.status === 401 || attempt.status === 403);
}

export function describeKnocks(knocks: readonly Knock[]): string {
  return knocks.map((attempt) => `${attempt.who}: ${attempt.status}${attempt.code ? ` ${attempt.code}` : ''}`).join('; ');
}

/** A well-formed JWT that no service issued. */
function madeUpToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'EdDSA', typ: 'at+jwt' })}.${part({ sub: 'me', scope: 'registrar agency-officer hub-auditor dead-letter-admin', exp: 9_999_999_999 })}.${Buffer.alloc(64).toString('base64url')}`;
}
