// Noto Sans JP, cut down to the characters the pages show, as WOFF2.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import subsetFont from 'subset-font';

/** The font the subset is cut from: Noto Sans JP Regular (SIL Open Font License 1.1), as Google Fonts ships it, from npm. */
export const SOURCE_PACKAGE = '@expo-google-fonts/noto-sans-jp';
const SOURCE_FILE = '400Regular/NotoSansJP_400Regular.ttf';

/** Copyright, license and license URL: the subset carries its license (OFL 1.1 §2). */
const LICENSE_NAME_IDS = [0, 13, 14];

export function sourceFontVersion(): string {
  return (JSON.parse(readFileSync(require.resolve(`${SOURCE_PACKAGE}/package.json`), 'utf8')) as { version: string }).version;
}

export async function subsetJapaneseFont(characters: string): Promise<Buffer> {
  const font = readFileSync(path.join(path.dirname(require.resolve(`${SOURCE_PACKAGE}/package.json`)), SOURCE_FILE));
  // Without layout closure: the vertical and alternate forms that substitutions could reach are a third of the size, and horizontal pages never use them.
  return subsetFont(font, characters, { targetFormat: 'woff2', preserveNameIds: LICENSE_NAME_IDS, noLayoutClosure: true });
}
