/**
 * Both ristretto255 backends, side by side in one process: each must give the
 * same bytes as the other, and as RFC 9496, for every operation the scheme uses.
 * (The whole suite also runs once per backend through group.ts: jest.config.js.)
 */
import { ristretto255_hasher } from '@noble/curves/ed25519';
import { sha512 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
// libsodium.js adds its functions to module.exports once ready; `import * as` would copy the exports before that.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import sodium = require('libsodium-wrappers-sumo');
import { AGENCY_CODE_DST } from '../agency-code';
import type { GroupBackend } from '../group-backend';
import { randomScalar } from '../group';
import { nobleBackend, overEncodings } from '../group-noble';
import { sodiumBackend } from '../group-sodium';
import { seededRandom } from '../random-source';

// RFC 9496 Appendix A.3: the one-way map of SHA-512(label).
const ONE_WAY_MAP: readonly [string, string][] = [
  ['Ristretto is traditionally a short shot of espresso coffee', '3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46'],
  ['made with the normal amount of ground coffee but extracted with', 'f26e5b6f7d362d2d2a94c5d0e7602cb4773c95a2e5c31a64f133189fa76ed61b'],
  ['about half the amount of water in the same amount of time', '006ccd2a9e6867e6a2c5cea83d3302cc9de128dd2a9a57dd8ee7b9d7ffe02826'],
  ['by using a finer grind.', 'f8f0c87cf237953c5890aec3998169005dae3eca1fbb04548c635953c817f92a'],
  ['This produces a concentrated shot of coffee per volume.', 'ae81e7dedf20a497e10c304a765c1767a42d6e06029758d2d7e8ef7cc4c41179'],
  ['Just pulling a normal shot short will produce a weaker shot', 'e2705652ff9f5e44d3e841bf1c251cf7dddb77d140870d1ab2ed64f1a9ce8628'],
  ['and is not a Ristretto as some believe.', '80bd07262511cdde4863f8a7434cef696750681cb9510eea557088f76d9e5065'],
];

type AnyBackend = GroupBackend<unknown>;
let backends: [string, AnyBackend][];

beforeAll(async () => {
  await sodium.ready;
  backends = [
    ['sodium', sodiumBackend(sodium) as AnyBackend],
    ['noble', nobleBackend as AnyBackend],
    ['noble over encodings (sodium mode while libsodium loads)', overEncodings(nobleBackend) as AnyBackend],
  ];
});

const hex = (backend: AnyBackend, point: unknown) => bytesToHex(backend.encode(point));

describe('ristretto255 backends', () => {
  it("maps 64 uniform bytes as RFC 9496 does (libsodium's from_hash)", () => {
    for (const [label, expected] of ONE_WAY_MAP) {
      expect(bytesToHex(sodium.crypto_core_ristretto255_from_hash(sha512(utf8ToBytes(label))))).toBe(expected);
    }
  });

  it('hash to the group as RFC 9380 hash_to_ristretto255 does, with the agency-code tag', () => {
    for (let i = 0; i < 16; i++) {
      const message = seededRandom(`message ${i}`)(16);
      const reference = hex(nobleBackend as AnyBackend, ristretto255_hasher.hashToCurve(message, { DST: AGENCY_CODE_DST }));
      for (const [, backend] of backends) expect(hex(backend, backend.hashToGroup(message, AGENCY_CODE_DST))).toBe(reference);
    }
  });

  it('agree on every operation the scheme uses, byte for byte', () => {
    const rng = seededRandom('backends agree');
    for (let i = 0; i < 8; i++) {
      const [a, b] = [randomScalar(rng), randomScalar(rng)];
      const message = rng(16);
      const results = backends.map(([, backend]) => {
        const p = backend.multiplyBase(a);
        const q = backend.hashToGroup(message, 'backends-agree');
        const reused = backend.prepareForReuse(backend.decode(backend.encode(p))!);
        return [
          hex(backend, p),
          hex(backend, backend.multiply(q, b)),
          hex(backend, backend.multiply(reused, b)),
          hex(backend, backend.multiply(reused, a)),
          hex(backend, backend.add(p, q)),
          hex(backend, backend.subtract(p, q)),
          backend.equals(backend.add(p, q), backend.add(q, p)),
          backend.equals(p, q),
          backend.isIdentity(backend.subtract(p, p)),
          hex(backend, backend.multiply(backend.subtract(q, q), a)),
        ];
      });
      for (const result of results.slice(1)) expect(result).toEqual(results[0]);
    }
  });

  it('decode canonical encodings, the identity included, and refuse the rest', () => {
    const valid = ['0000000000000000000000000000000000000000000000000000000000000000', 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76'];
    const invalid = ['0100000000000000000000000000000000000000000000000000000000000000', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'];
    for (const [, backend] of backends) {
      for (const text of valid) expect(hex(backend, backend.decode(hexToBytes(text)))).toBe(text);
      for (const text of invalid) expect(backend.decode(hexToBytes(text))).toBeNull();
    }
  });

  it('multiply an encoding as they multiply its decoded point, and refuse an encoding that is not canonical', () => {
    const rng = seededRandom('multiply an encoding');
    const identity = '0000000000000000000000000000000000000000000000000000000000000000';
    const notCanonical = ['0100000000000000000000000000000000000000000000000000000000000000', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'];
    for (let i = 0; i < 8; i++) {
      const scalar = randomScalar(rng);
      const point = nobleBackend.encode(nobleBackend.hashToGroup(rng(16), 'multiply-an-encoding'));
      const expected = hex(nobleBackend as AnyBackend, nobleBackend.decode(point)!.multiply(scalar));
      for (const [, backend] of backends) {
        expect(hex(backend, backend.multiplyEncoding(point, scalar))).toBe(expected);
        expect(hex(backend, backend.multiplyEncoding(hexToBytes(identity), scalar))).toBe(identity);
        for (const text of notCanonical) expect(backend.multiplyEncoding(hexToBytes(text), scalar)).toBeNull();
        expect(backend.multiplyEncoding(point.subarray(0, 31), scalar)).toBeNull();
      }
    }
  });

  it('hand out encodings the caller may change without changing the element', () => {
    for (const [, backend] of backends) {
      const point = backend.multiplyBase(5n);
      backend.encode(point).fill(0);
      expect(hex(backend, point)).toBe('e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e');
      const bytes = hexToBytes('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76');
      const decoded = backend.decode(bytes)!;
      bytes.fill(0);
      expect(backend.isIdentity(decoded)).toBe(false);
    }
  });
});
