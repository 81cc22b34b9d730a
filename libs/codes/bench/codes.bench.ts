/**
 * `npx nx run codes:bench`: throughput of the operations an exchange pays for, one
 * core, fixed iteration counts (no timing assertions anywhere; this only prints).
 * `MYNA_GROUP_BACKEND=noble npx nx run codes:bench` measures the reference backend.
 * It prices one exchange's group arithmetic both ways in the same run: one
 * ElGamal key per party (before edge keys) and edge keys with closing scalars.
 */
import {
  AGENCY_CODE_DST,
  computeAgencyCode,
  decryptCode,
  encryptCode,
  encryptSubjects,
  generateKeyPair,
  generateProcessingSerial,
  issueAgencyCodeFromBase,
  parseAgencyCode,
  parseCiphertext,
  receiveCode,
  runKeyCeremony,
  seededRandom,
  serialBasePoint,
  transform,
  translate,
} from '../src';
import { groupReady, hashToGroup, multiply, multiplyBase, prepareForReuse, randomScalar } from '../src/group';

// The bench's three parties, named once (their constants live in @myna/protocol, which this pure library does not import).
const [TAX, PENSION, PORTAL] = ['tax-agency', 'pension-agency', 'myna-portal'] as const;

interface Row {
  operation: string;
  iterations: number;
  'ms/op': string;
  'ops/s': string;
}

function measure(operation: string, iterations: number, run: (i: number) => unknown): Row & { ms: number } {
  for (let i = 0; i < Math.min(50, iterations); i++) run(i % 64); // warm the JIT
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run(i % 64);
  const ms = (performance.now() - start) / iterations;
  return { operation, iterations, 'ms/op': ms.toFixed(3), 'ops/s': Math.round(1000 / ms).toLocaleString('en-US'), ms };
}

async function main(): Promise<void> {
  // Measure the chosen backend itself, not the noble stand-in that runs while libsodium loads.
  const backend = await groupReady();
  const ceremony = runKeyCeremony(
    {
      parties: [TAX, PENSION, PORTAL],
      edges: [
        { from: PENSION, to: TAX },
        { from: PENSION, to: PORTAL },
      ],
    },
    { seed: 'bench' },
  );
  const rng = seededRandom('bench');
  const pension = ceremony.parties.get(PENSION);
  const tax = ceremony.parties.get(TAX);
  const portal = ceremony.parties.get(PORTAL);
  const pseudonymKey = ceremony.issuer.pseudonymKeys.get(PENSION);
  const toTax = ceremony.hub.edges.get('pension-agency>tax-agency');
  if (!pension || !tax || !portal || !pseudonymKey || !toTax) throw new Error('ceremony is missing a party or an edge');

  // The scheme before edge keys, on the same primitives: one key pair per party, factors x_B / x_A.
  const before = { pension: generateKeyPair(rng), tax: generateKeyPair(rng) };
  const beforeFactors = { ...toTax, receivingKey: before.tax.publicKey };

  const serials = Array.from({ length: 64 }, () => generateProcessingSerial(rng));
  const codes = serials.map((serial) => computeAgencyCode(pseudonymKey, serial));
  const requests = codes.map((code) => encryptSubjects(pension, code, [TAX], rng)[0]);
  const toPortal = codes.map((code) => encryptSubjects(pension, code, [PORTAL], rng)[0]);
  const translated = requests.map((request) => translate(ceremony.hub, PENSION, TAX, request, rng));
  const translatedToPortal = toPortal.map((request) => translate(ceremony.hub, PENSION, PORTAL, request, rng));
  const beforeRequests = codes.map((code) => encryptCode(code, before.pension.publicKey, rng));
  const beforeTranslated = beforeRequests.map((request) => transform(request, beforeFactors, rng));
  const scalars = Array.from({ length: 64 }, () => randomScalar(rng));
  const points = scalars.map((scalar) => multiplyBase(scalar));
  const publicKeyPoint = prepareForReuse(before.pension.publicKey.groupElement());
  const basePoints = serials.map((serial) => serialBasePoint(serial));
  const codeTexts = codes.map((code) => code.toText());
  const requestTexts = requests.map((request) => request.toText());

  const rows = {
    multiply: measure('point × scalar (fresh point)', 500, (i) => multiply(points[i], scalars[(i + 1) % 64])),
    multiplyFixed: measure('public key × scalar (fixed base)', 1000, (i) => multiply(publicKeyPoint, scalars[i])),
    multiplyBase: measure('generator × scalar', 1000, (i) => multiplyBase(scalars[i])),
    hash: measure('hash-to-group H(serial)', 2000, (i) => hashToGroup(serials[i].toBytes(), AGENCY_CODE_DST)),
    issue: measure('issuance P_A = s_A·H(serial)', 500, (i) => computeAgencyCode(pseudonymKey, serials[i])),
    issueFromBase: measure("issuance from a kept base point (a person's next code)", 500, (i) => issueAgencyCodeFromBase(ceremony.issuer, TAX, basePoints[i])),
    encryptBefore: measure('before: encrypt Enc(Y_A, P_A)', 500, (i) => encryptCode(codes[i], before.pension.publicKey, rng)),
    encryptAfter: measure('after: encrypt for A→B and A→portal (one r)', 500, (i) => encryptSubjects(pension, codes[i], [TAX, PORTAL], rng)),
    transformBefore: measure('before: transform A→B (hub)', 300, (i) => transform(beforeRequests[i], beforeFactors, rng)),
    transformAfter: measure('after: transform along edge A→B (hub)', 300, (i) => translate(ceremony.hub, PENSION, TAX, requests[i], rng)),
    decryptBefore: measure('before: decrypt under x_B', 500, (i) => decryptCode(beforeTranslated[i], before.tax.secretKey)),
    receiveAfter: measure('after: decrypt under x_B←A and close with c_B←A', 500, (i) => receiveCode(tax, PENSION, translated[i])),
    receivePortal: measure('after: the portal receives its record subject', 500, (i) => receiveCode(portal, PENSION, translatedToPortal[i])),
    parseCode: measure('parse agency code', 5000, (i) => parseAgencyCode(codeTexts[i])),
    parseCiphertext: measure('parse ciphertext', 2000, (i) => parseCiphertext(requestTexts[i])),
  };

  // One exchange: the requester encrypts, the hub translates twice (provider, portal), provider and portal read.
  const perExchange = {
    before: rows.encryptBefore.ms + 2 * rows.transformBefore.ms + 2 * rows.decryptBefore.ms,
    after: rows.encryptAfter.ms + 2 * rows.transformAfter.ms + rows.receiveAfter.ms + rows.receivePortal.ms,
  };

  console.log(`@myna/codes on ${process.version}, ${process.arch}, one core, ristretto255 backend '${backend}' (MYNA_GROUP_BACKEND=noble|sodium)`);
  console.table(Object.values(rows).map(({ ms: _ms, ...row }) => row));
  console.log(
    `group arithmetic per exchange: before ${perExchange.before.toFixed(2)} ms (12 multiplications), ` +
      `after ${perExchange.after.toFixed(2)} ms (15: one more per party — the requester's second recipient, the provider's and the portal's closing); ` +
      `+${(perExchange.after - perExchange.before).toFixed(2)} ms (+${(((perExchange.after - perExchange.before) / perExchange.before) * 100).toFixed(0)}%)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
