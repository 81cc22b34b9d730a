import { LegalTable } from '../legal-table/legal-table';
import { SERVICES } from '../parties';
import { ServiceKeyRing, parseServiceKeyFile } from './key-ring';
import { runServiceKeyCeremony } from './service-key-ceremony';

describe('the service key ceremony', () => {
  const table = LegalTable.load();
  const files = runServiceKeyCeremony(table, 'ceremony-tests');

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
    expect(runServiceKeyCeremony(table, 'ceremony-tests').get('tax-agency')).toEqual(files.get('tax-agency'));
    expect(runServiceKeyCeremony(table).get('tax-agency')!.signing.d).not.toBe(files.get('tax-agency')!.signing.d);
  });

  it('produces files whose keys import', async () => {
    const ring = await ServiceKeyRing.fromFile(files.get('exchange-hub')!);
    expect(ring.verifierFor(files.get('tax-agency')!.signing.kid)?.service).toBe('tax-agency');
    expect(String(ring)).toBe('[ServiceKeyRing exchange-hub]');
  });
});
