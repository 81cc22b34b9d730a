import { JAPANESE_FONT_CHARACTERS, JAPANESE_FONT_WOFF2_BASE64 } from './japanese-font.generated';

/**
 * The Japanese font the portal's and the card reader's pages ship with, so that
 * their Japanese terms read the same on every machine, one without a CJK font
 * included: Noto Sans JP, cut down to the characters the pages use
 * (`npm run portal:font` makes it), served from the page's own origin.
 */
export const JAPANESE_FONT_PATH = '/assets/noto-sans-jp.woff2';
export const JAPANESE_FONT_FAMILY = 'Noto Sans JP Subset';
export const JAPANESE_FONT_WOFF2: Buffer = Buffer.from(JAPANESE_FONT_WOFF2_BASE64, 'base64');
export { JAPANESE_FONT_CHARACTERS };

/** `U+3044,U+304C,U+3057-3059,…`: the face draws exactly these, and every other character falls to the next font in the stack. */
function unicodeRange(characters: string): string {
  const points = [...characters].map((character) => character.codePointAt(0)!);
  const ranges: string[] = [];
  for (let start = 0; start < points.length; ) {
    let end = start;
    while (end + 1 < points.length && points[end + 1] === points[end] + 1) end++;
    const hex = (point: number) => point.toString(16).toUpperCase();
    ranges.push(end === start ? `U+${hex(points[start])}` : `U+${hex(points[start])}-${hex(points[end])}`);
    start = end + 1;
  }
  return ranges.join(',');
}

/** The @font-face rule; a page's font stack names JAPANESE_FONT_FAMILY first. */
export const JAPANESE_FONT_FACE = `@font-face { font-family: "${JAPANESE_FONT_FAMILY}"; src: url("${JAPANESE_FONT_PATH}") format("woff2"); font-weight: 400; font-style: normal; font-display: block; unicode-range: ${unicodeRange(JAPANESE_FONT_CHARACTERS)}; }`;

/**
 * The @font-face rule as a stylesheet of its own, which a page links before its own
 * stylesheet (a file): the rule's character range comes from the font, so it is made
 * with the font, not written by hand.
 */
export const JAPANESE_FONT_STYLESHEET_PATH = '/assets/noto-sans-jp.css';
export const JAPANESE_FONT_STYLESHEET = `${JAPANESE_FONT_FACE}\n`;
export const JAPANESE_FONT_STYLESHEET_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/css; charset=utf-8',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
};

/** Headers of the font's answer. */
export const JAPANESE_FONT_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'font/woff2',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
};
