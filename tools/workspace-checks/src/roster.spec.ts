import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CARD_READER, DEFAULT_PORTS, SERVICES } from '@myna/protocol';

// The roster is written once (libs/protocol: parties.ts, roster/roster.ts): a
// default port or a party's name written out a second time in source code
// drifts from it. Tests may spell them out (a test states what it expects).
const root = path.resolve(__dirname, '../../..');
const SOURCE_ROOTS = ['apps', 'libs', 'tools'];
const SKIPPED = new Set(['node_modules', 'dist', '.data', 'reports', 'coverage', '__tests__', 'test-fixtures']);
/** Projects that are tests through and through. */
const TEST_PROJECTS = ['libs/testing', 'tools/federation-tests', 'tools/portal-browser-tests', 'tools/workspace-checks'];
const DEFINITIONS = { names: 'libs/protocol/src/parties.ts', ports: 'libs/protocol/src/roster/roster.ts' };

/**
 * Files that still spell party names out, and how many times: the count may only
 * fall. libs/codes is pure and imports no other project (its bench names parties
 * as labels of its own, once each).
 */
const NOT_YET_CONVERTED: Readonly<Record<string, number>> = {
  'libs/codes/bench/codes.bench.ts': 3,
};

function isTestFile(file: string): boolean {
  return /\.(spec|integration-spec|e2e-spec)\.[cm]?[jt]s$/.test(file) || /(^|\/)jest\.config\.[cm]?[jt]s$/.test(file) || TEST_PROJECTS.some((project) => file.startsWith(`${project}/`));
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const at = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...sourceFiles(at));
    else if (/\.[cm]?[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !isTestFile(at)) found.push(at);
  }
  return found;
}

/** The code without its comments: a comment may give an example address. */
function code(file: string): string {
  return readFileSync(path.join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

const files = SOURCE_ROOTS.flatMap(sourceFiles);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the roster is written once', () => {
  it('finds the source files', () => {
    expect(files).toContain(DEFINITIONS.names);
    expect(files.length).toBeGreaterThan(100);
  });

  it.each(Object.entries(DEFAULT_PORTS))('the default port of %s (%d) is written in the roster only', (_endpoint, port) => {
    const pattern = new RegExp(`(?<![\\w.-])${port}(?![\\w-])`);
    expect(files.filter((file) => pattern.test(code(file)))).toEqual([DEFINITIONS.ports]);
  });

  it('each party’s name (and the card reader’s) is a literal in its definition only', () => {
    const names = [...SERVICES, CARD_READER];
    const pattern = new RegExp(`(['"\`])(${names.map(escape).join('|')})\\1`, 'g');
    const counts: Record<string, number> = {};
    for (const file of files) {
      if (file === DEFINITIONS.names || file === DEFINITIONS.ports) continue;
      const found = code(file).match(pattern)?.length ?? 0;
      if (found > 0) counts[file] = found;
    }
    // On failure: import the party's constant from @myna/protocol (TAX_AGENCY for 'tax-agency', …; `[TAX_AGENCY]: …` as a key).
    const over = Object.entries(counts).filter(([file, count]) => count > (NOT_YET_CONVERTED[file] ?? 0));
    expect(over).toEqual([]);
  });
});
