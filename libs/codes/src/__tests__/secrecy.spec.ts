import { bytesToHex } from '@noble/hashes/utils';
import { format, inspect } from 'node:util';
import { translate } from '../blind-translation';
import { issueAgencyCode } from '../code-issuance';
import { CodesError } from '../codes.exception';
import { encryptSubjects, receiveCode } from '../edge-endpoints';
import { decryptCode, parseCiphertext, parsePublicKey } from '../elgamal';
import { encodeScalar } from '../group';
import { parseHubBundle, parseIssuerBundle, parsePartyBundle, serializeHubBundle, serializeIssuerBundle, serializePartyBundle } from '../key-bundles';
import { runKeyCeremony } from '../key-ceremony';
import { parseAgencyCode } from '../agency-code';
import { parseMyNumber } from '../my-number';
import { generateProcessingSerial, parseProcessingSerial } from '../processing-serial';
import { seededRandom } from '../random-source';
import { SecretScalar } from '../secret-scalar';
import { CEREMONY_INPUT, CEREMONY_SEED } from './fixtures';

const ceremony = runKeyCeremony(CEREMONY_INPUT, { seed: CEREMONY_SEED });
const rng = seededRandom('secrecy spec');
const serial = generateProcessingSerial(rng);

const secrets: SecretScalar[] = [
  ...ceremony.issuer.pseudonymKeys.values(),
  ...[...ceremony.parties.values()].flatMap((bundle) => [
    ...[...bundle.sending.values()].map((key) => key.secretKey),
    ...[...bundle.receiving.values()].flatMap((key) => [key.secretKey, key.closingScalar]),
    ...(bundle.selfKey ? [bundle.selfKey.secretKey] : []),
  ]),
  ...[...ceremony.hub.edges.values()].flatMap((factors) => [factors.reshuffle, factors.rekey]),
];

/** Every way a scalar could show up in text: its bundle form, base64url, hex both ways, decimal, and 10-character pieces. */
function forms(secret: SecretScalar): string[] {
  const body = secret.exportText().slice(4);
  const value = secret.reveal();
  const whole = [secret.exportText(), body, bytesToHex(encodeScalar(value)), value.toString(16), value.toString(10)];
  const pieces = Array.from({ length: body.length - 9 }, (_, i) => body.slice(i, i + 10));
  return [...whole, ...pieces];
}
const secretForms = secrets.flatMap(forms);
const serialForms = [serial.toText(), serial.toText().slice(4), bytesToHex(serial.toBytes())];

function expectNoSecret(text: string): void {
  for (const form of [...secretForms, ...serialForms]) {
    if (text.includes(form)) throw new Error(`secret material leaked: …${form}… in ${text.slice(0, 200)}`);
  }
}

function errorOf(run: () => unknown): CodesError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodesError);
    return error as CodesError;
  }
  throw new Error('expected a CodesError');
}

const mapsAsEntries = (_key: string, value: unknown) => (value instanceof Map ? [...value] : value);

describe('no secret in output', () => {
  it('has a leak detector that does detect leaks', () => {
    expect(() => expectNoSecret(`x${secrets[3].exportText()}x`)).toThrow('secret material leaked');
    expect(() => expectNoSecret(secrets[3].reveal().toString(16))).toThrow('secret material leaked');
    expect(() => expectNoSecret(serial.toText())).toThrow('secret material leaked');
  });

  it('prints, stringifies and inspects a secret scalar as [secret]', () => {
    for (const secret of secrets) {
      expect(String(secret)).toBe('[secret]');
      expect(`${secret}`).toBe('[secret]');
      expect(JSON.stringify(secret)).toBe('"[secret]"');
      expect(inspect(secret)).toBe('[secret]');
      expect(format('%s %o %O %j', secret, secret, secret, secret)).toBe('[secret] [secret] [secret] "[secret]"');
      expect(Object.keys(secret)).toEqual([]);
      expect(JSON.stringify({ ...secret })).toBe('{}');
    }
  });

  it('redacts the processing serial the same way', () => {
    for (const text of [String(serial), JSON.stringify(serial), inspect(serial), format('%o', serial)]) expectNoSecret(text);
  });

  it('keeps secrets out of the inspection and JSON of every bundle', () => {
    expectNoSecret(inspect(ceremony, { depth: null, showHidden: true }));
    expectNoSecret(JSON.stringify(ceremony, mapsAsEntries));
    expect(JSON.stringify(ceremony, mapsAsEntries)).toContain('[secret]');
  });

  it('keeps secrets out of codes and ciphertexts in every form', () => {
    const code = issueAgencyCode(ceremony.issuer, 'pension-agency', serial);
    const pension = ceremony.parties.get('pension-agency')!;
    const [request] = encryptSubjects(pension, code, ['tax-agency'], rng);
    const translated = translate(ceremony.hub, 'pension-agency', 'tax-agency', request, rng);
    const received = receiveCode(ceremony.parties.get('tax-agency')!, 'pension-agency', translated);
    for (const value of [code, request, translated, received, pension.sending.get('tax-agency')!.publicKey]) {
      for (const text of [value.toText(), String(value), JSON.stringify(value), inspect(value, { showHidden: true })]) {
        expectNoSecret(text);
      }
    }
  });

  it('keeps secrets out of error messages and stacks, even when the input was a secret', () => {
    const secretText = secrets[0].exportText();
    const nonCanonical = `sk1.${secretText.slice(4, -2)}_w`;
    const issuer = serializeIssuerBundle(ceremony.issuer);
    const hub = serializeHubBundle(ceremony.hub);
    const party = serializePartyBundle(ceremony.parties.get('tax-agency')!);
    const errors = [
      errorOf(() => SecretScalar.parse(nonCanonical)),
      errorOf(() => SecretScalar.parse(secretText.slice(0, -3))),
      errorOf(() => parsePublicKey(secretText)),
      errorOf(() => parseAgencyCode(secretText)),
      errorOf(() => parseCiphertext(secretText)),
      errorOf(() => parseProcessingSerial(secretText)),
      errorOf(() => parseMyNumber(secretText)),
      errorOf(() => parseIssuerBundle({ ...issuer, pseudonymKeys: { 'tax-agency': nonCanonical } })),
      errorOf(() => parseIssuerBundle({ ...issuer, pseudonymKeys: { [secretText]: secretText } })),
      errorOf(() => parsePartyBundle({ ...party, sending: { 'pension-agency': { ...party.sending['pension-agency'], publicKey: secretText } } })),
      errorOf(() => parsePartyBundle({ ...party, sending: { 'pension-agency': { ...party.sending['pension-agency'], secretKey: secrets[1].exportText() } } })),
      errorOf(() => parsePartyBundle({ ...party, receiving: { 'pension-agency': { ...party.receiving['pension-agency'], closingScalar: nonCanonical } } })),
      errorOf(() => parseHubBundle({ ...hub, edges: [{ ...hub.edges[0], rekey: hub.edges[1].rekey }] })),
      errorOf(() => parseHubBundle({ ...hub, edges: [{ ...hub.edges[0], from: secretText }] })),
      errorOf(() => translate(ceremony.hub, 'tax-agency', 'health-agency', encryptSubjects(ceremony.parties.get('tax-agency')!, issueAgencyCode(ceremony.issuer, 'tax-agency', serial), ['pension-agency'], rng)[0])),
      errorOf(() => receiveCode(ceremony.parties.get('health-agency')!, 'tax-agency', encryptSubjects(ceremony.parties.get('tax-agency')!, issueAgencyCode(ceremony.issuer, 'tax-agency', serial), ['pension-agency'], rng)[0])),
      errorOf(() => decryptCode(parseCiphertext(secretText), secrets[0])),
    ];
    for (const error of errors) {
      expectNoSecret(error.message);
      expectNoSecret(String(error.stack));
      expectNoSecret(inspect(error));
      expectNoSecret(JSON.stringify(error));
    }
  });
});
