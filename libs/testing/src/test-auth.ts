import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { OPERATOR_TOKEN_PATH, signServiceRequest, type OperatorRole, type Service, type ServiceKeyRing } from '@myna/protocol';
import { testOperatorCredential } from './test-keys';

const tokens = new WeakMap<INestApplication, Map<string, { token: string; expiresAt: number }>>();

/** An operator's bearer token at a service booted in this test, from its token endpoint (cached while valid). */
export async function operatorToken(app: INestApplication, service: Service, role: OperatorRole): Promise<string> {
  const credential = testOperatorCredential(service, role);
  const held = tokens.get(app) ?? new Map<string, { token: string; expiresAt: number }>();
  tokens.set(app, held);
  const cached = held.get(credential.clientId);
  if (cached && cached.expiresAt > Date.now() + 30_000) return cached.token;
  const response = await request(app.getHttpServer())
    .post(OPERATOR_TOKEN_PATH)
    .auth(credential.clientId, credential.clientSecret)
    .type('form')
    .send({ grant_type: 'client_credentials' });
  if (response.status !== 200) throw new Error(`the token endpoint refused ${credential.clientId}: ${response.status} ${response.text}`);
  held.set(credential.clientId, { token: response.body.access_token, expiresAt: Date.now() + response.body.expires_in * 1000 });
  return response.body.access_token;
}

/** `{ authorization: 'Bearer …' }` for an operator of `service` with `role`. */
export async function asOperator(app: INestApplication, service: Service, role: OperatorRole): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await operatorToken(app, service, role)}` };
}

/** A response, and `.expect(status)` as supertest has it (failing with the body when the status differs). */
export type SentRequest = Promise<request.Response> & { expect(status: number): Promise<request.Response> };

/** A request from another service, signed with its key (RFC 9421), as services call each other. */
export function signedServiceRequest(app: INestApplication, caller: ServiceKeyRing, audience: Service, method: 'GET' | 'POST', path: string, json?: unknown): SentRequest {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const sent = (async () => {
    const headers = await signServiceRequest(caller, audience, {
      method,
      url: `http://service${path}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body,
    });
    const call = (method === 'GET' ? request(app.getHttpServer()).get(path) : request(app.getHttpServer()).post(path)).set(headers);
    return body === undefined ? await call : await call.send(body);
  })();
  return Object.assign(sent, {
    async expect(status: number) {
      const response = await sent;
      if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text.slice(0, 300)}`);
      return response;
    },
  });
}

/** supertest for one caller: every request carries these headers (an operator's bearer token). */
export function httpAs(app: INestApplication, headers: Record<string, string>) {
  const server = () => request(app.getHttpServer());
  return {
    get: (path: string) => server().get(path).set(headers),
    post: (path: string) => server().post(path).set(headers),
  };
}
