import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// docs/DESIGN.md is what the code cites as "DESIGN §n": every citation must point
// to a section (and, for §5, a step) that exists. The README's Layout must name
// every project, so that a reader can find each room from it.
const root = path.resolve(__dirname, '../../..');
const SOURCE_ROOTS = ['apps', 'libs', 'tools'];
const SKIPPED = new Set(['node_modules', 'dist', '.data', 'reports', 'coverage']);

function filesUnder(dir: string, accept: (file: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(at, accept));
    else if (accept(at)) found.push(at);
  }
  return found;
}

const design = readFileSync(path.join(root, 'docs/DESIGN.md'), 'utf8');

/** `## 5. One exchange` → 5 ↦ its text. */
const sections = new Map(
  [...design.matchAll(/^## (\d+)\. [^\n]+\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)].map((match) => [Number(match[1]), match[2]] as const),
);

/** The numbered steps of a section (`1. …` at the start of a line). */
const stepsOf = (section: number): Set<number> => new Set([...(sections.get(section) ?? '').matchAll(/^(\d+)\. /gm)].map((match) => Number(match[1])));

interface Citation {
  file: string;
  section: number;
  steps: number[];
}

/** Every "DESIGN §n", "DESIGN §n step k", "§n steps k–m" / "k and m", and "DESIGN §1, §8". */
function citationsIn(file: string, text: string): Citation[] {
  const found: Citation[] = [];
  for (const match of text.matchAll(/DESIGN ((?:§\d+(?:,\s*)?)+)(?: steps? (\d+)(?:\s*(?:–|-|and)\s*(\d+))?)?/g)) {
    const numbers = [...match[1].matchAll(/§(\d+)/g)].map((entry) => Number(entry[1]));
    const [first, last] = [match[2], match[3]].map((value) => (value === undefined ? undefined : Number(value)));
    const steps = first === undefined ? [] : Array.from({ length: (last ?? first) - first + 1 }, (_, offset) => first + offset);
    numbers.forEach((section, at) => found.push({ file: path.relative(root, file), section, steps: at === numbers.length - 1 ? steps : [] }));
  }
  return found;
}

const sourceFiles = [
  ...SOURCE_ROOTS.flatMap((dir) => filesUnder(path.join(root, dir), (file) => /\.(ts|js|md)$/.test(file))),
  path.join(root, 'README.md'),
];
const citations = sourceFiles.flatMap((file) => citationsIn(file, readFileSync(file, 'utf8')));

describe('docs/DESIGN.md', () => {
  it('has its sections numbered 1 to 10, in order', () => {
    expect([...sections.keys()]).toEqual(Array.from({ length: 10 }, (_, at) => at + 1));
  });

  it('is cited by the code, and every citation points to a section and step that exist', () => {
    expect(citations.length).toBeGreaterThan(20);
    const broken = citations.filter((citation) => !sections.has(citation.section) || citation.steps.some((step) => !stepsOf(citation.section).has(step)));
    expect(broken).toEqual([]);
  });

  it('reads citations the way they are written (single, ranges, lists)', () => {
    expect(citationsIn('x', 'DESIGN §5 steps 1–2; DESIGN §5 step 6; DESIGN §1, §8; DESIGN §9')).toEqual([
      { file: 'x', section: 5, steps: [1, 2] },
      { file: 'x', section: 5, steps: [6] },
      { file: 'x', section: 1, steps: [] },
      { file: 'x', section: 8, steps: [] },
      { file: 'x', section: 9, steps: [] },
    ]);
    expect(citationsIn('x', 'DESIGN §5 steps 5 and 6')).toEqual([{ file: 'x', section: 5, steps: [5, 6] }]);
  });

  it('numbers the six steps of one exchange', () => {
    expect([...stepsOf(5)]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("the README's Layout", () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const layout = /^## Layout\n+```\n([\s\S]*?)```/m.exec(readme)?.[1] ?? '';
  const listed = new Set(layout.split('\n').map((line) => line.trim().split(/\s+/)[0]).filter(Boolean));

  it('names every project under apps/, libs/ and tools/, and nothing that is not there', () => {
    const projects = SOURCE_ROOTS.flatMap((dir) =>
      readdirSync(path.join(root, dir))
        .filter((name) => statSync(path.join(root, dir, name)).isDirectory())
        .map((name) => `${dir}/${name}`),
    );
    expect(projects.filter((project) => !listed.has(project))).toEqual([]);
    expect([...listed].filter((entry) => !projects.includes(entry))).toEqual([]);
  });
});
