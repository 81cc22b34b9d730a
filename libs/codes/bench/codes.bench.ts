/**
 * `npx nx run codes:bench`: throughput of the operations an exchange pays for, one
 * core, fixed iteration counts (no timing assertions anywhere; this only prints).
 * `MYNA_GROUP_BACKEND=noble npx nx run codes:bench` measures the reference backend.
 */
import {
  AGENCY_CODE_DST,
  computeAgencyCode,
  decryptCode,
  encryptCode,
  generateProcessingSerial,
  parseAgencyCode,
  parseCiphertext,
  runKeyCeremony,
  seededRandom,
  translate,
} from '../src';
import { groupReady, hashToGroup, multiply, multiplyBase, prepareForReuse, randomScalar } from '../src/group';

interface Row {
  operation: string;
  iterations: number;
  'ms/op': string;
  'ops/s': string;
}

function measure(operation: string, iterations: number, run: (i: number) => unknown): Row {
  for (let i = 0; i < Math.min(50, iterations); i++) run(i % 64); // warm the JIT
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run(i % 64);
  const ms = performance.now() - start;
  return {
    operation,
    iterations,
    'ms/op': (ms / iterations).toFixed(3),
    'ops/s': Math.round((iterations * 1000) / ms).toLocaleString('en-US'),
  };
}

async function main(): Promise<void> {
  // Measure the chosen backend itself, not the noble stand-in that runs while libsodium loads.
  const backend = await groupReady();
  const ceremony = runKeyCeremony(
    {
      parties: ['tax-agency', 'pension-agency'],
      permittedPairs: [{ requester: 'pension-agency', provider: 'tax-agency' }],
    },
    { seed: 'bench' },
  );
  const rng = seededRandom('bench');
  const pension = ceremony.parties.get('pension-agency');
  const tax = ceremony.parties.get('tax-agency');
  const pseudonymKey = ceremony.issuer.pseudonymKeys.get('pension-agency');
  if (!pension || !tax || !pseudonymKey) throw new Error('ceremony is missing a party');

  const serials = Array.from({ length: 64 }, () => generateProcessingSerial(rng));
  const codes = serials.map((serial) => computeAgencyCode(pseudonymKey, serial));
  const requests = codes.map((code) => encryptCode(code, pension.publicKey, rng));
  const translated = requests.map((request) => translate(ceremony.hub, 'pension-agency', 'tax-agency', request, rng));
  const scalars = Array.from({ length: 64 }, () => randomScalar(rng));
  const points = scalars.map((scalar) => multiplyBase(scalar));
  const publicKeyPoint = prepareForReuse(pension.publicKey.groupElement());
  const codeTexts = codes.map((code) => code.toText());
  const requestTexts = requests.map((request) => request.toText());

  const rows = [
    measure('point × scalar (fresh point)', 500, (i) => multiply(points[i], scalars[(i + 1) % 64])),
    measure('public key × scalar (fixed base)', 1000, (i) => multiply(publicKeyPoint, scalars[i])),
    measure('generator × scalar', 1000, (i) => multiplyBase(scalars[i])),
    measure('hash-to-group H(serial)', 2000, (i) => hashToGroup(serials[i].toBytes(), AGENCY_CODE_DST)),
    measure('issuance P_A = s_A·H(serial)', 500, (i) => computeAgencyCode(pseudonymKey, serials[i])),
    measure('encrypt Enc(Y_A, P_A)', 500, (i) => encryptCode(codes[i], pension.publicKey, rng)),
    measure('transform A→B (hub)', 300, (i) => translate(ceremony.hub, 'pension-agency', 'tax-agency', requests[i], rng)),
    measure('decrypt under x_B', 500, (i) => decryptCode(translated[i], tax.secretKey)),
    measure('parse agency code', 5000, (i) => parseAgencyCode(codeTexts[i])),
    measure('parse ciphertext', 2000, (i) => parseCiphertext(requestTexts[i])),
  ];

  console.log(`@myna/codes on ${process.version}, ${process.arch}, one core, ristretto255 backend '${backend}' (MYNA_GROUP_BACKEND=noble|sodium)`);
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
