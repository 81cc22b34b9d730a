import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDatabases, startTestServiceApp } from '@myna/testing';
import { CardIssuerClient } from '../issuer-client/card-issuer.client';
import { SessionService } from '../sessions/session.service';
import { mynaPortalService } from '../service-definition';

// A citizen's Verify costs the hub a pass over its whole log for each proof, so the
// portal lets each citizen ask only so often, whatever session or address they use.
// The portal runs for real on PostgreSQL and Redis; only the card issuer's answer
// that each card is still valid is given, since no issuer runs here.

describe('the portal’s Verify, per citizen', () => {
  let database: Awaited<ReturnType<typeof createTestDatabases<'portal'>>>;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabases(['portal']);
    app = await startTestServiceApp(mynaPortalService, database.databases.portal.url, { RATE_LIMIT_LOG_PROOF: '2/60' });
    jest.spyOn(app.get(CardIssuerClient), 'certificateStatus').mockResolvedValue('valid');
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const portalCode = () => `ac1.${randomBytes(32).toString('base64url')}`;
  const signedIn = async (code: string) => (await app.get(SessionService).start(code, randomBytes(8).toString('hex'))).split(';')[0];
  const verify = (cookie?: string) => {
    const call = request(app.getHttpServer()).get(`/records/${randomUUID()}/log-proof`);
    return cookie ? call.set('cookie', cookie) : call;
  };

  it('answers a citizen’s budget of proof requests, then 429 with a reason, while another citizen and the anonymous are unaffected', async () => {
    const citizen = portalCode();
    const first = await signedIn(citizen);
    const second = await signedIn(citizen);
    // Within the budget: the handler runs (no record of this citizen has that handle).
    expect((await verify(first)).body).toMatchObject({ statusCode: 404, code: 'no-receipt' });
    expect((await verify(first)).body).toMatchObject({ statusCode: 404, code: 'no-receipt' });
    // Over it, in this session and in another session of the same citizen.
    for (const cookie of [first, second]) {
      const refused = await verify(cookie);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ statusCode: 429, code: 'too-many-requests' });
    }

    const other = await signedIn(portalCode());
    expect((await verify(other)).body).toMatchObject({ statusCode: 404, code: 'no-receipt' });
    expect((await verify()).status).toBe(401);
  });
});
