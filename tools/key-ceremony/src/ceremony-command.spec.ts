import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOperatorCredential, loadServiceKeyRing, operatorSecretHash, SERVICES } from '@myna/protocol';
import { parseCeremonyArgs, runCeremonyCommand } from './ceremony-command';

describe('npm run keys', () => {
  it('writes one key file per service, readable by its owner only, that each service can load', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'myna-keys-'));
    await runCeremonyCommand(parseCeremonyArgs(['--seed', 'demo', '--out', out], '/'));
    for (const service of SERVICES) {
      const file = path.join(out, service, 'service-keys.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      await expect(loadServiceKeyRing(path.join(out, service), service)).resolves.toMatchObject({ service });
    }
  });

  it('keeps existing keys unless --force', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'myna-keys-'));
    await runCeremonyCommand(parseCeremonyArgs(['--out', out], '/'));
    const before = readFileSync(path.join(out, 'tax-agency', 'service-keys.json'), 'utf8');
    const [message] = await runCeremonyCommand(parseCeremonyArgs(['--out', out], '/'));
    expect(message).toMatch(/already exist/);
    expect(readFileSync(path.join(out, 'tax-agency', 'service-keys.json'), 'utf8')).toBe(before);
    await runCeremonyCommand(parseCeremonyArgs(['--out', out, '--force'], '/'));
    expect(readFileSync(path.join(out, 'tax-agency', 'service-keys.json'), 'utf8')).not.toBe(before);
  });

  it('writes each operator\'s credential apart from every service folder, and rotates them alone', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'myna-keys-'));
    await runCeremonyCommand(parseCeremonyArgs(['--out', out], '/'));
    const credentialFile = path.join(out, 'operators', 'tax-agency.agency-officer.json');
    expect(statSync(credentialFile).mode & 0o777).toBe(0o600);
    const before = await loadOperatorCredential(path.join(out, 'operators'), 'tax-agency.agency-officer');
    const taxKeys = () => JSON.parse(readFileSync(path.join(out, 'tax-agency', 'service-keys.json'), 'utf8'));
    const keysBefore = taxKeys();
    const [message] = await runCeremonyCommand(parseCeremonyArgs(['--out', out, '--rotate-operators'], '/'));
    expect(message).toMatch(/rotated/);
    const after = await loadOperatorCredential(path.join(out, 'operators'), 'tax-agency.agency-officer');
    expect(after.clientSecret).not.toBe(before.clientSecret);
    const keysAfter = taxKeys();
    expect(keysAfter.signing).toEqual(keysBefore.signing);
    expect(keysAfter.codes).toEqual(keysBefore.codes);
    expect(keysAfter.operators).toContainEqual({ clientId: 'tax-agency.agency-officer', roles: ['agency-officer'], secretHash: operatorSecretHash(after.clientSecret) });
    expect(JSON.stringify(keysAfter)).not.toContain(before.clientSecret);
  });

  it('refuses unknown flags and an empty seed', () => {
    expect(() => parseCeremonyArgs(['--sed', 'x'], '/')).toThrow(/Unknown option/);
    expect(() => parseCeremonyArgs(['--seed', ''], '/')).toThrow(/must not be empty/);
    expect(() => parseCeremonyArgs(['--force', '--rotate-operators'], '/')).toThrow(/cannot be combined/);
  });

  it('refuses to start a service whose key file is missing, naming the file', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'myna-keys-'));
    await expect(loadServiceKeyRing(path.join(out, 'tax-agency'), 'tax-agency')).rejects.toThrow(
      /no key file at .*tax-agency\/service-keys.json; run the key ceremony first/,
    );
  });
});
