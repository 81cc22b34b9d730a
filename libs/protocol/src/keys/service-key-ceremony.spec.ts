import { LegalTable } from '../legal-table/legal-table';
import { SERVICES } from '../parties';
import { ServiceKeyRing, parseServiceKeyFile } from './key-ring';
import { operatorSecretHash, runServiceKeyCeremony } from './service-key-ceremony';
import { SERVICE_OPERATOR_ROLES } from '../auth/operators';

describe('the service key ceremony', () => {
  const table = LegalTable.load();
  const ceremony = runServiceKeyCeremony(table, 'ceremony-tests');
  const files = ceremony.services;

  it('writes one valid file per service, holding only that service’s private keys', () => {
    expect([...files.keys()].sort()).toEqual([...SERVICES].sort());
    const privateKeys = new Map([...files].map(([service, file]) => [service, [file.signing.d, file.encryption.d]]));
    for (const [service, file] of files) {
      expect(parseServiceKeyFile(JSON.parse(JSON.stringify(file)), service)).toEqual(file);
      const text = JSON.stringify(file);
      for (const [other, secrets] of privateKeys) {
        if (other !== service) for (const secret of secrets) expect(text).not.toContain(secret);
      }
    }
  });

  it('gives pseudonym keys to the issuer only, edge factors to the hub only, and each party the keys of its own edges', () => {
    expect(files.get('code-issuer')!.codes).toMatchObject({ format: 'myna-codes/issuer-bundle' });
    expect(files.get('exchange-hub')!.codes).toMatchObject({ format: 'myna-codes/hub-bundle' });
    expect(files.get('tax-agency')!.codes).toMatchObject({ format: 'myna-codes/party-bundle', party: 'tax-agency', selfKey: null });
    const edges = (files.get('exchange-hub')!.codes as { edges: { from: string; to: string }[] }).edges.map((edge) => `${edge.from}>${edge.to}`);
    expect(edges).not.toContain('tax-agency>health-agency');
    expect(edges).toContain('pension-agency>tax-agency');
    expect(edges).toContain('tax-agency>myna-portal');
    expect(edges).not.toContain('myna-portal>myna-portal');
    const tax = files.get('tax-agency')!.codes as { sending: object; receiving: object };
    expect(Object.keys(tax.sending).sort()).toEqual(['myna-portal', 'pension-agency']);
    expect(Object.keys(tax.receiving).sort()).toEqual(['health-agency', 'myna-portal', 'pension-agency']);
    expect((files.get('myna-portal')!.codes as { selfKey: unknown }).selfKey).not.toBeNull();
  });

  it('is deterministic for a seed and different without one', () => {
    expect(runServiceKeyCeremony(table, 'ceremony-tests').services.get('tax-agency')).toEqual(files.get('tax-agency'));
    const fresh = runServiceKeyCeremony(table);
    expect(fresh.services.get('tax-agency')!.signing.d).not.toBe(files.get('tax-agency')!.signing.d);
    expect(fresh.operators.get('tax-agency.agency-officer')!.clientSecret).not.toBe(ceremony.operators.get('tax-agency.agency-officer')!.clientSecret);
  });

  it('produces files whose keys import', async () => {
    const ring = await ServiceKeyRing.fromFile(files.get('exchange-hub')!);
    expect(ring.verifierFor(files.get('tax-agency')!.signing.kid)?.service).toBe('tax-agency');
    expect(String(ring)).toBe('[ServiceKeyRing exchange-hub]');
  });

  it('gives every operator one credential, and its service only the hash of its secret', () => {
    const expected = Object.entries(SERVICE_OPERATOR_ROLES).flatMap(([service, roles]) => roles.map((role) => `${service}.${role}`));
    expect([...ceremony.operators.keys()].sort()).toEqual(expected.sort());
    for (const [clientId, credential] of ceremony.operators) {
      const own = files.get(credential.service)!;
      expect(own.operators).toContainEqual({ clientId, roles: credential.roles, secretHash: operatorSecretHash(credential.clientSecret) });
      for (const file of files.values()) expect(JSON.stringify(file)).not.toContain(credential.clientSecret);
      for (const [service, file] of files) {
        if (service !== credential.service) expect(file.operators.map((entry) => entry.clientId)).not.toContain(clientId);
      }
    }
  });
});
