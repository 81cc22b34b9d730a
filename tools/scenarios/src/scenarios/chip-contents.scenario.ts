import { CHIP_CONTENT_FIELDS } from '@myna/card';
import { AGENCIES } from '@myna/protocol';
import type { Scenario } from '../runner/scenario';
import { chipOutcome, issueCard } from './card-support';
import { agencyCodeOf, maskMyNumber, newCitizen } from './scenario-support';

/** Every key of a JSON value, at every depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      keysOf(inner, into);
    }
  }
  return into;
}

const sameKeys = (actual: object, expected: readonly string[]) => Object.keys(actual).sort().join() === [...expected].sort().join();

export const chipContents: Scenario = {
  name: 'chip-contents',
  claim:
    'The My Number Card holds only basic facts (My Number, name, address, date of birth, gender, photo) and electronic certificates: no tax, pension or medical information is on it, and its private key and PIN cannot be read.',
  proves:
    'reading the chip returns exactly the card face, the certificate (which names no one) and the PIN counter; none of the agencies’ data or codes; no private key or PIN, not even in a copy of the chip’s storage',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen');
    const card = await issueCard(context, citizen, 'the citizen');

    context.say('card', 'is read by a card reader, without the PIN: the chip gives out everything readable on it');
    const read = await chipOutcome(() => card.chip.readContents());
    if (!read.ok) throw new Error(`the chip could not be read: ${read.message}`);
    const contents = read.value;
    const shape = Object.fromEntries(Object.entries(contents).map(([key, value]) => [key, Object.keys(value as object)]));
    context.check(
      'the chip shows exactly the card face, the user-authentication certificate, the issuer’s key and the PIN counter',
      sameKeys(contents, Object.keys(CHIP_CONTENT_FIELDS)) &&
        Object.entries(CHIP_CONTENT_FIELDS).every(([key, fields]) => sameKeys((contents as unknown as Record<string, object>)[key], fields)),
      Object.entries(shape).map(([key, fields]) => `${key}: ${fields.join(', ')}`).join('; '),
      shape,
    );
    const face = contents.cardFace;
    context.check(
      'the card face is the register’s basic facts, and nothing else',
      face.myNumber === citizen.myNumber && face.name === citizen.name && face.address === citizen.address && face.dateOfBirth === citizen.dateOfBirth && face.gender === citizen.gender,
      `${face.name}, ${face.address}, born ${face.dateOfBirth}, ${face.gender}, My Number ${maskMyNumber(face.myNumber)}, and a photo`,
    );

    const text = JSON.stringify(contents);
    const agencyData: [string, string][] = [
      ['tax’s income record', String(citizen.incomeYen)],
      ['tax’s resident-tax assessment', String(Math.round(citizen.incomeYen / 10))],
      ['the medical claim amount', '12000'],
    ];
    for (const agency of AGENCIES) agencyData.push([`${agency}’s code for the citizen`, (await agencyCodeOf(context, agency, citizen.personIds[agency]!)).slice(4)]);
    const found = agencyData.filter(([, value]) => text.includes(value)).map(([what]) => what);
    context.check(
      'no agency’s data or code is on the chip',
      found.length === 0,
      found.length === 0 ? `searched the chip’s contents for ${agencyData.map(([what]) => what).join(', ')}: none` : `found ${found.join(', ')}`,
    );

    const certificateClaims = JSON.parse(Buffer.from(contents.userAuthentication.certificate.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const certificateText = JSON.stringify(certificateClaims);
    context.check(
      'the certificate binds a serial to the chip’s public key and names no one',
      !certificateText.includes(citizen.myNumber) && !certificateText.includes(citizen.name) && !certificateText.includes(citizen.address) && !certificateText.includes(citizen.dateOfBirth),
      `its claims: ${Object.keys(certificateClaims).join(', ')} (serial ${String(certificateClaims.sub)})`,
    );

    const keys = keysOf(contents);
    const secretKeys = [...keys].filter((key) => ['d', 'privateKey', 'pin', 'salt', 'hash', 'pinVerifier'].includes(key));
    context.check(
      'neither the private key nor the PIN can be read: the chip gives out public keys and a counter only',
      secretKeys.length === 0 && contents.userAuthentication.publicKey.kty === 'OKP',
      secretKeys.length === 0 ? `fields read: ${[...keys].sort().join(', ')}` : `secret fields read: ${secretKeys.join(', ')}`,
    );

    const dump = card.store.dump();
    const exposed = [
      ['the My Number', citizen.myNumber],
      ['the name', citizen.name],
      ['the address', citizen.address],
      ['a private key (PKCS#8 or JWK d)', '"d":'],
      ['the PIN verifier', 'scrypt'],
    ].filter(([, needle]) => dump.includes(needle)).map(([what]) => what);
    context.check(
      'a copy of the chip’s storage reveals neither the card face nor the key nor the PIN (they are sealed)',
      exposed.length === 0,
      exposed.length === 0 ? `the stored record (${dump.length} characters) holds only sealed parts` : `the stored record shows ${exposed.join(', ')}`,
    );
    return context.conclude();
  },
};
