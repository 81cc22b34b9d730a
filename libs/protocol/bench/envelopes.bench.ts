/**
 * `npx nx run protocol:bench`: what each envelope operation costs one core, beside
 * the alternatives it was chosen over (libs/protocol/README.md, "Cost"). Prints
 * only; fixed iteration counts.
 */
import { createSecretKey, diffieHellman, hkdfSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, importJWK, jwtVerify } from 'jose';
import { LegalTable } from '../src/legal-table/legal-table';
import { decryptForMe, encryptFor, signMessage, verifyMessage } from '../src/envelopes/envelopes';
import { ServiceKeyRing } from '../src/keys/key-ring';
import { runServiceKeyCeremony } from '../src/keys/service-key-ceremony';
import { EXCHANGE_HUB, PENSION_AGENCY, TAX_AGENCY } from '../src/parties';

interface Row {
  operation: string;
  iterations: number;
  'CPU µs/op': string;
  'ops/s (CPU)': string;
}

/** CPU time of this process (all threads, libuv's pool among them), so a busy machine skews it less than wall time. */
async function measure(operation: string, iterations: number, run: () => unknown): Promise<Row> {
  for (let i = 0; i < Math.min(200, iterations); i++) await run();
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await run();
  const used = process.cpuUsage(before);
  const us = (used.user + used.system) / iterations;
  return { operation, iterations, 'CPU µs/op': us.toFixed(1), 'ops/s (CPU)': Math.round(1e6 / us).toLocaleString('en-US') };
}

async function main(): Promise<void> {
  const files = runServiceKeyCeremony(LegalTable.load(), 'bench').services;
  const pension = await ServiceKeyRing.fromFile(files.get(PENSION_AGENCY)!);
  const tax = await ServiceKeyRing.fromFile(files.get(TAX_AGENCY)!);
  const inquiry = {
    to: EXCHANGE_HUB,
    type: 'inquiry+jwt',
    ttlSeconds: 60,
    claims: { inquiryId: randomUUID(), provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: {}, subject: `ct1.${'A'.repeat(86)}` },
  };
  const hub = await ServiceKeyRing.fromFile(files.get(EXCHANGE_HUB)!);
  const expected = { type: 'inquiry+jwt', from: [PENSION_AGENCY], maxAgeSeconds: 120 };
  const token = await signMessage(pension, inquiry);
  const signingInput = Buffer.from(token.split('.').slice(0, 2).join('.'));
  const signature = Buffer.from(token.split('.')[2], 'base64url');
  const signingKey = pension.signingKey as KeyObject;
  const verifyingKey = hub.verifierFor(pension.signingKid)!.key as KeyObject;
  const plaintext = new TextEncoder().encode(token);

  // The alternatives, built from the same key files.
  const pensionFile = files.get(PENSION_AGENCY)!;
  const taxPublic = (await importJWK(pensionFile.directory[TAX_AGENCY].encryption, 'ECDH-ES+A256KW')) as KeyObject;
  const taxPrivate = (await importJWK(files.get(TAX_AGENCY)!.encryption, 'ECDH-ES+A256KW')) as KeyObject;
  const ecdhEs = () =>
    new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: tax.decryptionKid, cty: 'JWT' }).encrypt(taxPublic);
  const ecdhEsToken = await ecdhEs();
  const pensionPrivate = (await importJWK(pensionFile.encryption, 'ECDH-ES+A256KW')) as KeyObject;
  const directKey = createSecretKey(Buffer.from(hkdfSync('sha256', diffieHellman({ privateKey: pensionPrivate, publicKey: taxPublic }), 'bench', 'dir', 32)));
  const direct = () => new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(directKey);
  const directToken = await direct();
  const sealed = await encryptFor(pension, TAX_AGENCY, token);

  const rows = [
    await measure('signMessage (Ed25519 in this thread)', 3000, () => signMessage(pension, inquiry)),
    await measure('verifyMessage (Ed25519 in this thread, jose checks the claims)', 3000, () => verifyMessage(hub, token, expected)),
    await measure('  was: jose jwtVerify (the signature on the thread pool)', 3000, () =>
      jwtVerify(token, verifyingKey, { algorithms: ['EdDSA'], audience: EXCHANGE_HUB, issuer: [PENSION_AGENCY], typ: 'inquiry+jwt', maxTokenAge: '120s', requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'] }),
    ),
    await measure('  native floor: node:crypto Ed25519 sign', 3000, () => sign(null, signingInput, signingKey)),
    await measure('  native floor: node:crypto Ed25519 verify', 3000, () => verify(null, signingInput, verifyingKey, signature)),
    await measure('encryptFor: A256KW under the edge key (chosen)', 3000, () => encryptFor(pension, TAX_AGENCY, token)),
    await measure('decryptForMe: A256KW under the edge key (chosen)', 3000, () => decryptForMe(tax, sealed)),
    await measure('  was: ECDH-ES+A256KW per message, encrypt', 2000, ecdhEs),
    await measure('  was: ECDH-ES+A256KW per message, decrypt', 2000, () =>
      compactDecrypt(ecdhEsToken, taxPrivate, { keyManagementAlgorithms: ['ECDH-ES+A256KW'], contentEncryptionAlgorithms: ['A256GCM'] }),
    ),
    await measure('  not chosen: dir (edge key as the GCM key), encrypt', 3000, direct),
    await measure('  not chosen: dir (edge key as the GCM key), decrypt', 3000, () =>
      compactDecrypt(directToken, directKey, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }),
    ),
  ];
  console.log(`@myna/protocol envelopes on ${process.version}, ${process.arch}, one core (CPU time of this process)`);
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
