/**
 * Property-based tests (fast-check) of the claims DESIGN §3 makes. Runs are modest:
 * each point multiplication costs milliseconds.
 */
import fc from 'fast-check';
import { parseAgencyCode, type AgencyCode } from '../agency-code';
import { pairFactorsFor, translate } from '../blind-translation';
import { issueAgencyCode } from '../code-issuance';
import { CodesError } from '../codes.exception';
import { decryptCode, encryptCode, generateKeyPair, parseCiphertext, parsePublicKey, rerandomize } from '../elgamal';
import {
  pairKey,
  parseHubBundle,
  parseIssuerBundle,
  parsePartyBundle,
  serializeHubBundle,
  serializeIssuerBundle,
  serializePartyBundle,
} from '../key-bundles';
import { runKeyCeremony, type PermittedPair } from '../key-ceremony';
import { parseMyNumber } from '../my-number';
import { parseProcessingSerial, ProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { parseResidenceCode } from '../residence-code';
import { SecretScalar } from '../secret-scalar';
import { CEREMONY_SEED, PARTIES, PERMITTED_PAIRS } from './fixtures';

const ceremony = runKeyCeremony({ parties: PARTIES, permittedPairs: PERMITTED_PAIRS }, { seed: CEREMONY_SEED });
const serialArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => ProcessingSerial.fromBytes(bytes));
const partyArb = fc.constantFrom(...PARTIES);

function bundleOf(party: string) {
  const bundle = ceremony.parties.get(party);
  if (!bundle) throw new Error(`no bundle for ${party}`);
  return bundle;
}

function codesOf(serial: ProcessingSerial): AgencyCode[] {
  return PARTIES.map((party) => issueAgencyCode(ceremony.issuer, party, serial));
}

describe('properties of the scheme', () => {
  it('never repeats a ciphertext: two encryptions (or a rerandomization) of one code differ', () => {
    fc.assert(
      fc.property(serialArb, partyArb, (serial, party) => {
        const code = issueAgencyCode(ceremony.issuer, party, serial);
        const { publicKey } = bundleOf(party);
        const a = encryptCode(code, publicKey);
        const b = encryptCode(code, publicKey);
        const c = rerandomize(a, publicKey);
        expect(new Set([a.toText(), b.toText(), c.toText()]).size).toBe(3);
        // C1 = r·G alone already differs: r is fresh.
        expect(Buffer.from(a.toBytes().subarray(0, 32)).equals(Buffer.from(b.toBytes().subarray(0, 32)))).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it("gives one person a different code at every party, under any ceremony's keys", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), serialArb, (seed, serial) => {
        const keys = runKeyCeremony({ parties: PARTIES, permittedPairs: [] }, { seed });
        const codes = PARTIES.map((party) => issueAgencyCode(keys.issuer, party, serial).toText());
        expect(new Set(codes).size).toBe(PARTIES.length);
      }),
      { numRuns: 30 },
    );
  });

  it('translates every permitted pair to the provider’s own code, and back where the reverse is permitted', () => {
    fc.assert(
      fc.property(serialArb, fc.constantFrom(...PERMITTED_PAIRS), (serial, { requester, provider }) => {
        const codeA = issueAgencyCode(ceremony.issuer, requester, serial);
        const codeB = issueAgencyCode(ceremony.issuer, provider, serial);
        const there = translate(ceremony.hub, requester, provider, encryptCode(codeA, bundleOf(requester).publicKey));
        const received = decryptCode(there, bundleOf(provider).secretKey);
        expect(received.equals(codeB)).toBe(true);
        if (pairFactorsFor(ceremony.hub, provider, requester)) {
          const back = translate(ceremony.hub, provider, requester, encryptCode(received, bundleOf(provider).publicKey));
          expect(decryptCode(back, bundleOf(requester).secretKey).equals(codeA)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives a pair missing from the legal table no factors, so it cannot be translated', () => {
    const pool = ['tax-agency', 'pension-agency', 'health-agency', 'myna-portal', 'city-office'];
    const tableArb = fc.subarray(pool, { minLength: 2 }).chain((parties) => {
      const ordered = parties.flatMap((requester) =>
        parties.filter((provider) => provider !== requester).map((provider) => ({ requester, provider })),
      );
      return fc.record({ parties: fc.constant(parties), permittedPairs: fc.subarray(ordered), all: fc.constant(ordered) });
    });
    fc.assert(
      fc.property(tableArb, fc.string({ minLength: 1 }), ({ parties, permittedPairs, all }, seed) => {
        const keys = runKeyCeremony({ parties, permittedPairs }, { seed });
        const permitted = new Set(permittedPairs.map((p: PermittedPair) => pairKey(p.requester, p.provider)));
        expect(new Set(keys.hub.pairFactors.keys())).toEqual(permitted);
        expect(serializeHubBundle(keys.hub).pairFactors).toHaveLength(permitted.size);
        const someCiphertext = encryptCode(issueAgencyCode(ceremony.issuer, 'tax-agency', ProcessingSerial.fromBytes(new Uint8Array(16))), ceremony.hub.publicKeys.get('tax-agency')!);
        for (const { requester, provider } of all) {
          if (permitted.has(pairKey(requester, provider))) continue;
          expect(pairFactorsFor(keys.hub, requester, provider)).toBeUndefined();
          expect(() => translate(keys.hub, requester, provider, someCiphertext)).toThrow(
            expect.objectContaining({ reason: 'pair-not-permitted' }),
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  it('never yields the code when decrypting with the wrong key', () => {
    fc.assert(
      fc.property(serialArb, partyArb, partyArb, (serial, owner, other) => {
        fc.pre(owner !== other);
        const codes = codesOf(serial);
        const request = encryptCode(issueAgencyCode(ceremony.issuer, owner, serial), bundleOf(owner).publicKey);
        const stranger = generateKeyPair();
        for (const wrongKey of [bundleOf(other).secretKey, stranger.secretKey]) {
          const plaintext = decryptCode(request, wrongKey);
          expect(codes.some((code) => code.equals(plaintext))).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** Either a typed rejection or an exact round trip: nothing else may come out of a parser. */
function parsesStrictly<T>(parse: (input: unknown) => T, render: (value: T) => unknown, input: unknown): void {
  let value: T;
  try {
    value = parse(input);
  } catch (error) {
    if (error instanceof CodesError) return;
    throw error;
  }
  expect(render(value)).toEqual(input);
}

const rng = seededRandom('parser properties');
const serial = ProcessingSerial.fromBytes(rng(16));
const code = issueAgencyCode(ceremony.issuer, 'tax-agency', serial);

const TEXT_PARSERS: Array<{ name: string; parse: (input: unknown) => unknown; render: (value: never) => unknown; valid: string }> = [
  { name: 'agency code', parse: parseAgencyCode, render: (v: AgencyCode) => v.toText(), valid: code.toText() },
  {
    name: 'ciphertext',
    parse: parseCiphertext,
    render: (v: ReturnType<typeof parseCiphertext>) => v.toText(),
    valid: encryptCode(code, bundleOf('tax-agency').publicKey, rng).toText(),
  },
  {
    name: 'public key',
    parse: parsePublicKey,
    render: (v: ReturnType<typeof parsePublicKey>) => v.toText(),
    valid: bundleOf('tax-agency').publicKey.toText(),
  },
  {
    name: 'secret scalar',
    parse: SecretScalar.parse,
    render: (v: SecretScalar) => v.exportText(),
    valid: bundleOf('tax-agency').secretKey.exportText(),
  },
  { name: 'processing serial', parse: parseProcessingSerial, render: (v: ProcessingSerial) => v.toText(), valid: serial.toText() },
  { name: 'My Number', parse: parseMyNumber, render: (v: string) => v, valid: '123456789018' },
  { name: 'residence code', parse: parseResidenceCode, render: (v: string) => v, valid: '12345678908' },
];

const charArb = fc.oneof(
  fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  fc.constantFrom('=', '+', '/', '.', ' ', '\n', '\0', '０', 'é', '\u{1F600}'),
);
const mutationArb = fc.record({
  op: fc.constantFrom('replace', 'insert', 'delete'),
  at: fc.nat(),
  char: charArb,
});

describe.each(TEXT_PARSERS)('parsing: $name', ({ parse, render, valid }) => {
  it('accepts the valid example', () => {
    expect(render(parse(valid) as never)).toBe(valid);
  });

  it('rejects every truncation and every one-character extension with a CodesError', () => {
    for (let length = 0; length < valid.length; length++) expect(() => parse(valid.slice(0, length))).toThrow(CodesError);
    for (const extra of ['A', '0', '=', ' ']) expect(() => parse(valid + extra)).toThrow(CodesError);
  });

  it('rejects or exactly round-trips every single-character mutation', () => {
    fc.assert(
      fc.property(mutationArb, ({ op, at, char }) => {
        const i = at % (valid.length + 1);
        const mutated =
          op === 'replace'
            ? valid.slice(0, i) + char + valid.slice(i + 1)
            : op === 'insert'
              ? valid.slice(0, i) + char + valid.slice(i)
              : valid.slice(0, i) + valid.slice(i + 1);
        parsesStrictly(parse, render as (value: unknown) => unknown, mutated);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects arbitrary values with a CodesError, never a TypeError', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => parsesStrictly(parse, render as (value: unknown) => unknown, input)),
      { numRuns: 150 },
    );
  });
});

// A small ceremony keeps each hub parse (one multiplication per pair) cheap.
const small = runKeyCeremony(
  { parties: ['tax-agency', 'pension-agency', 'myna-portal'], permittedPairs: PERMITTED_PAIRS.filter((p) => p.requester !== 'health-agency' && p.provider !== 'health-agency').slice(0, 3) },
  { seed: 'small ceremony' },
);

const BUNDLES = [
  { name: 'issuer', parse: parseIssuerBundle, serialize: serializeIssuerBundle as (b: unknown) => unknown, json: serializeIssuerBundle(small.issuer) },
  { name: 'party', parse: parsePartyBundle, serialize: serializePartyBundle as (b: unknown) => unknown, json: serializePartyBundle(small.parties.get('tax-agency')!) },
  { name: 'hub', parse: parseHubBundle, serialize: serializeHubBundle as (b: unknown) => unknown, json: serializeHubBundle(small.hub) },
];

/** Every path into a JSON value, e.g. ['pairFactors', 0, 'rekey']. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [prefix];
  const children = Object.entries(value).flatMap(([key, child]) =>
    pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key]),
  );
  return [prefix, ...children];
}

function mutate(json: unknown, path: Array<string | number>, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy = JSON.parse(JSON.stringify(json));
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

describe.each(BUNDLES)('parsing: $name bundle', ({ parse, serialize, json }) => {
  const paths = pathsOf(json);

  it('rejects arbitrary values with a CodesError', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => parsesStrictly(parse, serialize, input)),
      { numRuns: 100 },
    );
  });

  it('rejects or exactly round-trips a bundle with one field replaced or removed', () => {
    fc.assert(
      fc.property(
        fc.nat(paths.length - 1),
        fc.oneof(fc.anything(), fc.constantFrom('sk1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'pk1.', 'tax-agency', 1, null)),
        fc.boolean(),
        (index, replacement, remove) => parsesStrictly(parse, serialize, mutate(json, paths[index], replacement, remove)),
      ),
      { numRuns: 60 },
    );
  });
});
