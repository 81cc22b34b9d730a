/**
 * Property-based tests (fast-check) of the claims DESIGN §3 makes. Runs are modest:
 * each point multiplication costs milliseconds.
 */
import fc from 'fast-check';
import { parseAgencyCode, type AgencyCode } from '../agency-code';
import { edgeFactorsFor, translate } from '../blind-translation';
import { issueAgencyCode, issueAgencyCodeFromBase, serialBasePoint } from '../code-issuance';
import { CodesError } from '../codes.exception';
import { edgeKey, type Edge } from '../edge';
import { encryptSubjects, receiveCode } from '../edge-endpoints';
import { decryptCode, encryptCode, generateKeyPair, parseCiphertext, parsePublicKey, rerandomize } from '../elgamal';
import { parseHubBundle, parseIssuerBundle, parsePartyBundle, serializeHubBundle, serializeIssuerBundle, serializePartyBundle } from '../key-bundles';
import { runKeyCeremony } from '../key-ceremony';
import { parseMyNumber } from '../my-number';
import { parseProcessingSerial, ProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { parseResidenceCode } from '../residence-code';
import { SecretScalar } from '../secret-scalar';
import { CEREMONY_INPUT, CEREMONY_SEED, EDGES, PARTIES } from './fixtures';

const ceremony = runKeyCeremony(CEREMONY_INPUT, { seed: CEREMONY_SEED });
const serialArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => ProcessingSerial.fromBytes(bytes));
const edgeArb = fc.constantFrom(...EDGES);

function bundleOf(party: string) {
  const bundle = ceremony.parties.get(party);
  if (!bundle) throw new Error(`no bundle for ${party}`);
  return bundle;
}

function codesOf(serial: ProcessingSerial): AgencyCode[] {
  return PARTIES.map((party) => issueAgencyCode(ceremony.issuer, party, serial));
}

/** Every key a party holds, and what it would get from a ciphertext with each (decrypted, then closed with each of its closing scalars). */
function everythingPartyCanRead(party: string, ciphertext: ReturnType<typeof encryptCode>): AgencyCode[] {
  const bundle = bundleOf(party);
  const keys = [...bundle.sending.values(), ...bundle.receiving.values(), ...(bundle.selfKey ? [bundle.selfKey] : [])];
  return keys.flatMap((key) => [decryptCode(ciphertext, key.secretKey), ...[...bundle.receiving.keys()].map((from) => receiveCode(bundle, from, ciphertext))]);
}

describe('properties of the scheme', () => {
  it('never repeats a ciphertext: two encryptions (or a rerandomization) of one code differ', () => {
    fc.assert(
      fc.property(serialArb, edgeArb, (serial, { from, to }) => {
        const code = issueAgencyCode(ceremony.issuer, from, serial);
        const [a] = encryptSubjects(bundleOf(from), code, [to]);
        const [b] = encryptSubjects(bundleOf(from), code, [to]);
        const c = rerandomize(a, bundleOf(from).sending.get(to)!.publicKey);
        const d = translate(ceremony.hub, from, to, a);
        const e = translate(ceremony.hub, from, to, a);
        expect(new Set([a.toText(), b.toText(), c.toText(), d.toText(), e.toText()]).size).toBe(5);
        // C1 = r·G alone already differs: r is fresh.
        expect(Buffer.from(a.toBytes().subarray(0, 32)).equals(Buffer.from(b.toBytes().subarray(0, 32)))).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it("gives every party the same code from a person's base point as from the serial, and takes no other point for one", () => {
    fc.assert(
      fc.property(serialArb, (serial) => {
        const basePoint = serialBasePoint(serial);
        for (const party of PARTIES) {
          expect(issueAgencyCodeFromBase(ceremony.issuer, party, basePoint).toText()).toBe(issueAgencyCode(ceremony.issuer, party, serial).toText());
        }
        // One changed bit: not a canonical encoding, or another point and so another code.
        const changed = Uint8Array.from(basePoint);
        changed[0] ^= 1;
        let other: string | undefined;
        try {
          other = issueAgencyCodeFromBase(ceremony.issuer, PARTIES[0], changed).toText();
        } catch (error) {
          expect(error).toBeInstanceOf(CodesError);
        }
        expect(other).not.toBe(issueAgencyCode(ceremony.issuer, PARTIES[0], serial).toText());
      }),
      { numRuns: 25 },
    );
    expect(() => issueAgencyCodeFromBase(ceremony.issuer, PARTIES[0], new Uint8Array(32))).toThrow(/base point must not be the identity/);
    expect(() => issueAgencyCodeFromBase(ceremony.issuer, PARTIES[0], new Uint8Array(31))).toThrow(CodesError);
  });

  it("gives one person a different code at every party, under any ceremony's keys", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), serialArb, (seed, serial) => {
        const keys = runKeyCeremony({ parties: PARTIES, edges: [] }, { seed });
        const codes = PARTIES.map((party) => issueAgencyCode(keys.issuer, party, serial).toText());
        expect(new Set(codes).size).toBe(PARTIES.length);
      }),
      { numRuns: 30 },
    );
  });

  it('translates every permitted edge to the receiver’s own code, which no other party can read from it', () => {
    fc.assert(
      fc.property(serialArb, edgeArb, (serial, { from, to }) => {
        const codes = codesOf(serial);
        const codeB = issueAgencyCode(ceremony.issuer, to, serial);
        const [request] = encryptSubjects(bundleOf(from), issueAgencyCode(ceremony.issuer, from, serial), [to]);
        const there = translate(ceremony.hub, from, to, request);
        expect(receiveCode(bundleOf(to), from, there).equals(codeB)).toBe(true);
        for (const other of PARTIES.filter((party) => party !== to)) {
          expect(everythingPartyCanRead(other, there).some((code) => codes.some((known) => known.equals(code)))).toBe(false);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('gives an edge missing from the table no keys and no factors, so nothing can be translated along it', () => {
    const pool = ['tax-agency', 'pension-agency', 'health-agency', 'myna-portal', 'city-office'];
    const tableArb = fc.subarray(pool, { minLength: 2 }).chain((parties) => {
      const ordered = parties.flatMap((from) => parties.filter((to) => to !== from).map((to) => ({ from, to })));
      return fc.record({ parties: fc.constant(parties), edges: fc.subarray(ordered), all: fc.constant(ordered) });
    });
    fc.assert(
      fc.property(tableArb, fc.string({ minLength: 1 }), ({ parties, edges, all }, seed) => {
        const keys = runKeyCeremony({ parties, edges }, { seed });
        const permitted = new Set(edges.map((edge: Edge) => edgeKey(edge.from, edge.to)));
        expect(new Set(keys.hub.edges.keys())).toEqual(permitted);
        expect(serializeHubBundle(keys.hub).edges).toHaveLength(permitted.size);
        const someCiphertext = encryptCode(issueAgencyCode(ceremony.issuer, 'tax-agency', ProcessingSerial.fromBytes(new Uint8Array(16))), generateKeyPair().publicKey);
        for (const { from, to } of all) {
          if (permitted.has(edgeKey(from, to))) continue;
          expect(edgeFactorsFor(keys.hub, from, to)).toBeUndefined();
          expect(keys.parties.get(from)!.sending.has(to)).toBe(false);
          expect(() => translate(keys.hub, from, to, someCiphertext)).toThrow(expect.objectContaining({ reason: 'pair-not-permitted' }));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('never yields a code when decrypting or closing with the wrong party’s keys', () => {
    fc.assert(
      fc.property(serialArb, edgeArb, fc.constantFrom(...PARTIES), (serial, { from, to }, other) => {
        fc.pre(other !== from);
        const codes = codesOf(serial);
        const [request] = encryptSubjects(bundleOf(from), issueAgencyCode(ceremony.issuer, from, serial), [to]);
        const stranger = generateKeyPair();
        const attempts = [...everythingPartyCanRead(other, request), decryptCode(request, stranger.secretKey)];
        expect(attempts.some((plaintext) => codes.some((code) => code.equals(plaintext)))).toBe(false);
      }),
      { numRuns: 20 },
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
    valid: encryptSubjects(bundleOf('tax-agency'), code, ['pension-agency'], rng)[0].toText(),
  },
  {
    name: 'public key',
    parse: parsePublicKey,
    render: (v: ReturnType<typeof parsePublicKey>) => v.toText(),
    valid: bundleOf('tax-agency').sending.get('pension-agency')!.publicKey.toText(),
  },
  {
    name: 'secret scalar',
    parse: SecretScalar.parse,
    render: (v: SecretScalar) => v.exportText(),
    valid: bundleOf('tax-agency').sending.get('pension-agency')!.secretKey.exportText(),
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
  {
    parties: ['tax-agency', 'pension-agency', 'myna-portal'],
    edges: EDGES.filter((edge) => edge.from !== 'health-agency' && edge.to !== 'health-agency').slice(0, 3),
    selfAddressed: ['myna-portal'],
  },
  { seed: 'small ceremony' },
);

const BUNDLES = [
  { name: 'issuer', parse: parseIssuerBundle, serialize: serializeIssuerBundle as (b: unknown) => unknown, json: serializeIssuerBundle(small.issuer) },
  { name: 'party', parse: parsePartyBundle, serialize: serializePartyBundle as (b: unknown) => unknown, json: serializePartyBundle(small.parties.get('tax-agency')!) },
  { name: 'portal party', parse: parsePartyBundle, serialize: serializePartyBundle as (b: unknown) => unknown, json: serializePartyBundle(small.parties.get('myna-portal')!) },
  { name: 'hub', parse: parseHubBundle, serialize: serializeHubBundle as (b: unknown) => unknown, json: serializeHubBundle(small.hub) },
];

/** Every path into a JSON value, e.g. ['edges', 0, 'rekey']. */
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
