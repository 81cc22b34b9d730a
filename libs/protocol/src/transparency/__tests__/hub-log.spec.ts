import { CompactSign } from 'jose';
import { LegalTable } from '../../legal-table/legal-table';
import { ServiceKeyRing } from '../../keys/key-ring';
import { runServiceKeyCeremony } from '../../keys/service-key-ceremony';
import type { Service } from '../../parties';
import { commitToHandle, encodeLeaf, LOG_ID, newCommitmentNonce, readTreeHead, signTreeHead, TreeHeadError, verifyTreeHead } from '../hub-log';

const files = runServiceKeyCeremony(LegalTable.load(), 'hub-log-spec').services;
const ring = (service: Service) => ServiceKeyRing.fromFile(files.get(service)!);
const head = { log: LOG_ID, size: 3, root: 'A'.repeat(43), timestamp: 1_700_000_000_000 } as const;

describe('the hub log’s tree heads and leaves', () => {
  it('signs a tree head that any party verifies as the hub’s, and refuses it from anyone else or altered', async () => {
    const hub = await ring('exchange-hub');
    const portal = await ring('myna-portal');
    const signed = await signTreeHead(hub, head);
    await expect(verifyTreeHead(portal, signed)).resolves.toEqual(head);
    expect(readTreeHead(signed)).toEqual(head);

    const [header, , signature] = signed.split('.');
    const altered = [header, Buffer.from(JSON.stringify({ ...head, size: 4 })).toString('base64url'), signature].join('.');
    await expect(verifyTreeHead(portal, altered)).rejects.toThrow(TreeHeadError);

    const tax = await ring('tax-agency');
    const byTax = await new CompactSign(Buffer.from(JSON.stringify(head)))
      .setProtectedHeader({ alg: 'EdDSA', kid: tax.signingKid, typ: 'myna-tree-head' })
      .sign(tax.signingKey);
    await expect(verifyTreeHead(portal, byTax)).rejects.toThrow('not signed by a key of the exchange hub');
    await expect(signTreeHead(tax, head)).rejects.toThrow('only the exchange hub');
  });

  it('refuses a tree head under the hub’s key with another algorithm, a critical extension, or no JWS at all', async () => {
    const hub = await ring('exchange-hub');
    const portal = await ring('myna-portal');
    const [, payload, signature] = (await signTreeHead(hub, head)).split('.');
    for (const extra of [{ alg: 'none' }, { alg: 'HS256' }, { crit: ['b64'], b64: true }]) {
      const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: hub.signingKid, typ: 'myna-tree-head', ...extra })).toString('base64url');
      await expect(verifyTreeHead(portal, [header, payload, signature].join('.'))).rejects.toThrow('does not hold');
    }
    for (const text of ['', 'a.b', `${payload}.${signature}`]) await expect(verifyTreeHead(portal, text)).rejects.toThrow(TreeHeadError);
  });

  it('encodes a leaf in one canonical form and refuses anything beyond metadata and a commitment', () => {
    const commitment = commitToHandle('2a1b6a1e-2f7d-4a3c-9a53-0d8a1d7c4e11', newCommitmentNonce());
    const leaf = { v: 1, event: 'closed', to: 'myna-portal', requester: 'pension-agency', provider: 'tax-agency', rule: 'R-PEN-TAX-INCOME', item: 'annual-income', status: 'permitted', commitment } as const;
    const reordered = Object.fromEntries(Object.entries(leaf).reverse()) as typeof leaf;
    expect(encodeLeaf(reordered)).toBe(encodeLeaf(leaf));
    expect(() => encodeLeaf({ ...leaf, handle: 'x' } as typeof leaf)).toThrow();
    expect(commitToHandle('h', 'n1')).not.toBe(commitToHandle('h', 'n2'));
  });
});
