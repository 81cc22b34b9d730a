// Which Japanese characters the pages can show: every one written in their sources.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The sources of every page the font serves: the portal's, the card reader's, and the legal table (whose procedures the portal shows). */
export const PAGE_SOURCES = ['apps/myna-portal/src', 'tools/card-reader/src', 'libs/protocol/src/legal-table/legal-basis-table.json'] as const;

/** Kana, CJK ideographs, Japanese punctuation and full-width forms: what a Latin system font lacks. */
export const JAPANESE_CHARACTER = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

const TEST_FILE = /\.(spec|integration-spec|e2e-spec)\.ts$/;

function sourceFiles(root: string, source: string): string[] {
  const full = path.join(root, source);
  if (source.endsWith('.json') || source.endsWith('.ts')) return [full];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !TEST_FILE.test(entry.name) && !entry.parentPath.includes('__tests__'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The distinct Japanese characters of a text, sorted by code point. */
export function japaneseCharactersOf(text: string): string {
  return [...new Set([...text].filter((character) => JAPANESE_CHARACTER.test(character)))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).join('');
}

/** Every Japanese character in the pages' sources. */
export function pageCharacters(root: string): string {
  return japaneseCharactersOf(PAGE_SOURCES.flatMap((source) => sourceFiles(root, source)).map((file) => readFileSync(file, 'utf8')).join('\n'));
}
