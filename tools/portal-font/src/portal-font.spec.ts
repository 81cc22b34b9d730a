import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JAPANESE_FONT_CHARACTERS, JAPANESE_FONT_FACE, JAPANESE_FONT_FAMILY, JAPANESE_FONT_WOFF2 } from '@myna/platform';
import { japaneseCharactersOf, pageCharacters } from './japanese-text';
import { subsetJapaneseFont } from './subset';

const ROOT = path.resolve(__dirname, '../../..');

describe('the Japanese font the pages ship with', () => {
  it('draws every Japanese character the pages’ sources hold (else: npm run portal:font)', () => {
    const missing = [...pageCharacters(ROOT)].filter((character) => !JAPANESE_FONT_CHARACTERS.includes(character));
    expect(missing.join('')).toBe('');
  });

  it('is exactly what npm run portal:font cuts from the npm font, for those characters', async () => {
    expect((await subsetJapaneseFont(JAPANESE_FONT_CHARACTERS)).equals(JAPANESE_FONT_WOFF2)).toBe(true);
    process.stdout.write(`Japanese font: ${[...JAPANESE_FONT_CHARACTERS].length} characters, ${JAPANESE_FONT_WOFF2.length} bytes of WOFF2\n`);
  });

  it('stays small, and the face draws its characters only', () => {
    expect(JAPANESE_FONT_WOFF2.subarray(0, 4).toString('latin1')).toBe('wOF2');
    expect(JAPANESE_FONT_WOFF2.length).toBeLessThan(48 * 1024);
    expect(JAPANESE_FONT_FACE).toMatch(/unicode-range: U\+[0-9A-F]{4}(-[0-9A-F]{4})?(,U\+[0-9A-F]{4}(-[0-9A-F]{4})?)*;/);
  });

  it.each(['apps/myna-portal/src/pages/assets/portal.css', 'tools/card-reader/src/assets/reader.css'])('is the first font of the body in %s', (stylesheet) => {
    expect(readFileSync(path.join(ROOT, stylesheet), 'utf8')).toMatch(new RegExp(`^body \\{[^}]*\\bfont: [^;"]*"${JAPANESE_FONT_FAMILY}", `, 'm'));
  });

  it('finds the Japanese in a text, once each, in code-point order', () => {
    expect(japaneseCharactersOf('My information (自己情報), 自己 and ¥100 — カード')).toBe('カドー報己情自');
  });
});
