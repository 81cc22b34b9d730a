import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FederationTarget } from '../federation/federation-target';
import type { ScenarioResult } from '../runner/scenario';
import { buildReport, renderMarkdown, reportFileNames, writeReports } from './scenario-report';

const target = {
  mode: 'given',
  urls: {
    'code-issuer': 'http://issuer:4000',
    'exchange-hub': 'http://hub:4001',
    'tax-agency': 'http://tax:4002',
    'pension-agency': 'http://pension:4003',
    'health-agency': 'http://health:4004',
    'myna-portal': 'http://portal:4005',
  },
  databaseUrls: {},
  redisUrl: 'redis://redis:6379',
  redisPrefix: 'myna',
  keysDir: '/keys',
} as unknown as FederationTarget;

const result = (name: string, verdict: 'PASS' | 'FAIL'): ScenarioResult => ({
  name,
  claim: `claim of ${name}`,
  proves: `${name} | proves`,
  verdict,
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 1234,
  evidence: [
    { kind: 'check', statement: 'a check', holds: verdict === 'PASS', detail: 'what was seen' },
    { kind: 'measurement', statement: 'a measurement', detail: '3 persons linked' },
  ],
  trace: [
    { atMs: 10, kind: 'say', actor: 'tax-agency', text: 'enrols the citizen' },
    { atMs: 20, kind: 'check', text: 'a check: what was seen', holds: verdict === 'PASS' },
  ],
});

describe('the reports', () => {
  it('summarises the run: FAIL when any scenario failed, with no database URL in it', () => {
    const report = buildReport([result('one', 'PASS'), result('two', 'FAIL')], target, new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:01:00Z'));
    expect(report).toMatchObject({
      format: 'myna/scenario-report',
      version: 1,
      summary: { total: 2, passed: 1, failed: 1, verdict: 'FAIL' },
      target: { mode: 'given', redisPrefix: 'myna' },
    });
    expect(JSON.stringify(report)).not.toMatch(/postgres:/);
    expect(buildReport([result('one', 'PASS')], target, new Date()).summary.verdict).toBe('PASS');
    expect(buildReport([], target, new Date()).summary.verdict).toBe('FAIL');
  });

  it('renders each scenario’s claim, verdict, evidence and narrated trace in Markdown', () => {
    const markdown = renderMarkdown(buildReport([result('one', 'PASS'), result('two', 'FAIL')], target, new Date()));
    expect(markdown).toContain('**FAIL**: 1 of 2 scenarios passed');
    expect(markdown).toContain('| [two](#two) | **FAIL** | two \\| proves | 1.2 s |');
    expect(markdown).toContain('## one\n\n**PASS** in 1.2 s.\n\n> claim of one');
    expect(markdown).toContain('- ✓ holds: a check. what was seen');
    expect(markdown).toContain('- ✗ **broken**: a check. what was seen');
    expect(markdown).toContain('- • measured: a measurement. 3 persons linked');
    expect(markdown).toContain('+  0.0 s  [tax-agency] enrols the citizen');
  });

  it('names a full run’s reports canonically, and a partial run’s after the scenarios it played', () => {
    const all = ['decentralized-storage', 'hub-breach', 'pin-lockout'];
    const canonical = { json: 'scenarios.json', markdown: 'scenarios.md', html: 'index.html' };
    expect(reportFileNames([], all)).toEqual(canonical);
    expect(reportFileNames(['pin-lockout', 'hub-breach', 'decentralized-storage'], all)).toEqual(canonical);
    expect(reportFileNames(['pin-lockout', 'hub-breach'], all)).toEqual({
      json: 'scenarios-hub-breach+pin-lockout.json',
      markdown: 'scenarios-hub-breach+pin-lockout.md',
      html: 'scenarios-hub-breach+pin-lockout.html',
    });
    expect(reportFileNames(['hub-breach', 'pin-lockout'], all)).toEqual(reportFileNames(['pin-lockout', 'hub-breach'], all));
    const many = Array.from({ length: 20 }, (_, index) => `a-rather-long-scenario-name-${index}`);
    const named = reportFileNames(many.slice(0, 19), many);
    expect(named.json).toMatch(/^scenarios-19-scenarios-[0-9a-f]{8}\.json$/);
  });

  it('writes a partial run beside the full one, and leaves the full run’s reports alone', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scenario-reports-'));
    try {
      await writeReports(dir, buildReport([result('one', 'PASS'), result('two', 'PASS')], target, new Date()));
      const full = await readFile(path.join(dir, 'scenarios.json'), 'utf8');
      const written = await writeReports(dir, buildReport([result('two', 'FAIL')], target, new Date()), reportFileNames(['two'], ['one', 'two']));
      expect((await readdir(dir)).sort()).toEqual(['index.html', 'scenarios-two.html', 'scenarios-two.json', 'scenarios-two.md', 'scenarios.json', 'scenarios.md']);
      expect(await readFile(path.join(dir, 'scenarios.json'), 'utf8')).toBe(full);
      expect(JSON.parse(await readFile(written.json, 'utf8')).summary).toMatchObject({ total: 1, verdict: 'FAIL' });
      expect(await readFile(written.html, 'utf8')).toContain('the same run’s evidence is in scenarios-two.json and scenarios-two.md');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
