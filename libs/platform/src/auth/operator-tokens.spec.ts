import * as jose from 'jose';
import { SignJWT } from 'jose';
import { LegalTable, runServiceKeyCeremony, ServiceKeyRing } from '@myna/protocol';
import { OperatorTokens } from './operator-tokens';

const ceremony = runServiceKeyCeremony(LegalTable.load(), 'operator-token-tests');
const credential = (clientId: string) => ceremony.operators.get(clientId)!;

describe("a service's operator tokens (OAuth 2.0 client credentials, JWT access tokens)", () => {
  let tax: OperatorTokens;
  let pension: OperatorTokens;
  let taxRing: ServiceKeyRing;

  beforeAll(async () => {
    taxRing = await ServiceKeyRing.fromFile(ceremony.services.get('tax-agency')!);
    tax = new OperatorTokens(taxRing);
    pension = new OperatorTokens(await ServiceKeyRing.fromFile(ceremony.services.get('pension-agency')!));
  });

  it('issues a five-minute token for the roles a client holds, and reads it back as that operator', async () => {
    const officer = credential('tax-agency.agency-officer');
    const issued = await tax.issue(officer.clientId, officer.clientSecret);
    expect(issued).toMatchObject({ expiresIn: 300, scope: 'agency-officer' });
    await expect(tax.verify(issued.accessToken)).resolves.toEqual({ kind: 'operator', clientId: 'tax-agency.agency-officer', roles: ['agency-officer'] });
  });

  it('refuses a wrong secret, an unknown client, another service’s client, and a role the client does not hold', async () => {
    const officer = credential('tax-agency.agency-officer');
    await expect(tax.issue(officer.clientId, credential('tax-agency.records-clerk').clientSecret)).rejects.toMatchObject({ code: 'invalid-credentials', status: 401 });
    await expect(tax.issue('tax-agency.mayor', officer.clientSecret)).rejects.toMatchObject({ code: 'invalid-credentials' });
    const pensionOfficer = credential('pension-agency.agency-officer');
    await expect(tax.issue(pensionOfficer.clientId, pensionOfficer.clientSecret)).rejects.toMatchObject({ code: 'invalid-credentials' });
    await expect(tax.issue(officer.clientId, officer.clientSecret, 'agency-officer dead-letter-admin')).rejects.toMatchObject({ code: 'invalid-credentials' });
  });

  it('refuses a token issued by another service, a forged one, an expired one, and one of another type', async () => {
    const officer = credential('pension-agency.agency-officer');
    const pensionToken = (await pension.issue(officer.clientId, officer.clientSecret)).accessToken;
    await expect(tax.verify(pensionToken)).rejects.toMatchObject({ code: 'invalid-credentials' });
    const [header, payload] = (await tax.issue(credential('tax-agency.agency-officer').clientId, credential('tax-agency.agency-officer').clientSecret)).accessToken.split('.');
    const escalated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: 'records-clerk' })).toString('base64url');
    await expect(tax.verify(`${header}.${escalated}.${'A'.repeat(86)}`)).rejects.toMatchObject({ code: 'invalid-credentials' });
    const sign = (typ: string, expiresIn: string, issuedAt?: number) =>
      new SignJWT({ client_id: 'tax-agency.agency-officer', scope: 'agency-officer' })
        .setProtectedHeader({ alg: 'EdDSA', typ, kid: taxRing.signingKid })
        .setIssuer('tax-agency')
        .setAudience('tax-agency')
        .setSubject('tax-agency.agency-officer')
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresIn)
        .sign(taxRing.signingKey);
    await expect(tax.verify(await sign('at+jwt', '-1s', Math.floor(Date.now() / 1000) - 400))).rejects.toMatchObject({ code: 'invalid-credentials', message: expect.stringMatching(/expired/) });
    await expect(tax.verify(await sign('inquiry+jwt', '60s'))).rejects.toMatchObject({ code: 'invalid-credentials' });
    await expect(tax.verify(await sign('at+jwt', '60s'))).resolves.toMatchObject({ clientId: 'tax-agency.agency-officer' });
  });

  it('verifies a token once while it lasts, and refuses it again once it has expired', async () => {
    const tokens = new OperatorTokens(taxRing);
    const officer = credential('tax-agency.agency-officer');
    const issued = await tokens.issue(officer.clientId, officer.clientSecret);
    const verifications = jest.spyOn(jose, 'jwtVerify');
    try {
      const principal = await tokens.verify(issued.accessToken);
      await expect(tokens.verify(issued.accessToken)).resolves.toEqual(principal);
      expect(verifications).toHaveBeenCalledTimes(1);
      // A tampered copy is not the token that was verified: it is checked, and refused.
      // (A signature's last characters carry few bits, often zero: change one well inside it.)
      const at = issued.accessToken.length - 20;
      const tampered = `${issued.accessToken.slice(0, at)}${issued.accessToken[at] === 'A' ? 'B' : 'A'}${issued.accessToken.slice(at + 1)}`;
      await expect(tokens.verify(tampered)).rejects.toMatchObject({ code: 'invalid-credentials' });
      // Six minutes on, the same token is verified again, and refused as expired.
      jest.useFakeTimers({ now: Date.now() + 360_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      await expect(tokens.verify(issued.accessToken)).rejects.toMatchObject({ code: 'invalid-credentials', message: expect.stringMatching(/expired/) });
      expect(verifications).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
      verifications.mockRestore();
    }
  });
});
