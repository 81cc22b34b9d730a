import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, type Service, EXCHANGE_HUB, redactUrl } from '@myna/protocol';
import type { FederationTarget } from '../federation/federation-target';
import type { ScenarioResult, TraceEntry } from '../runner/scenario';
import { renderHtml } from './html-report';

/** The machine-readable report (reports/scenarios.json). */
export interface ScenarioReport {
  format: 'myna/scenario-report';
  version: 1;
  startedAt: string;
  finishedAt: string;
  target: { mode: FederationTarget['mode']; urls: Record<Service, string>; redisPrefix: string };
  summary: { total: number; passed: number; failed: number; verdict: 'PASS' | 'FAIL' };
  scenarios: ScenarioResult[];
  /** Scenarios this run mode cannot play, each with the reason: neither passed nor failed here. */
  notPlayed?: NotPlayed[];
}

/** A scenario a full run left out because this run mode cannot play it. */
export interface NotPlayed {
  name: string;
  reason: string;
}

export function buildReport(results: readonly ScenarioResult[], target: FederationTarget, startedAt: Date, finishedAt = new Date(), notPlayed: readonly NotPlayed[] = []): ScenarioReport {
  const passed = results.filter((result) => result.verdict === 'PASS').length;
  return {
    format: 'myna/scenario-report',
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    target: {
      mode: target.mode,
      urls: Object.fromEntries(SERVICES.map((service) => [service, redactUrl(target.urls[service])])) as Record<Service, string>,
      redisPrefix: target.redisPrefix,
    },
    summary: { total: results.length, passed, failed: results.length - passed, verdict: passed === results.length && results.length > 0 ? 'PASS' : 'FAIL' },
    scenarios: [...results],
    ...(notPlayed.length > 0 ? { notPlayed: [...notPlayed] } : {}),
  };
}

const TARGET_NAMES: Record<FederationTarget['mode'], string> = {
  given: 'the federation given by the environment',
  'running-demo': 'the running demo (npm run demo)',
  embedded: 'an embedded federation started for this run',
};

/** Markdown has no safe way to put arbitrary text in a table cell but this. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function traceLine(entry: TraceEntry): string {
  const at = `+${seconds(entry.atMs).padStart(7)}`;
  if (entry.kind === 'check') return `${at}  ${entry.holds ? '✓' : '✗'} ${entry.text}`;
  if (entry.kind === 'measurement') return `${at}  • ${entry.text}`;
  if (entry.kind === 'message') return `${at}  ✉ ${entry.text}`;
  return `${at}  [${entry.actor}] ${entry.text}`;
}

/** The human-readable report (reports/scenarios.md): summary table, then each scenario's claim, verdict, evidence and trace. */
export function renderMarkdown(report: ScenarioReport): string {
  const lines: string[] = [
    '# Scenario report',
    '',
    `**${report.summary.verdict}**: ${report.summary.passed} of ${report.summary.total} scenarios passed, against ${TARGET_NAMES[report.target.mode]} ` +
      `(${report.target.urls[EXCHANGE_HUB]} …), ${report.startedAt} – ${report.finishedAt}.`,
    ...(report.notPlayed ?? []).map((left) => `Not played in this run mode: **${left.name}**: ${cell(left.reason)}.`),
    '',
    '| scenario | verdict | what a PASS proves | time |',
    '|---|---|---|---|',
    ...report.scenarios.map((result) => `| [${result.name}](#${result.name}) | ${result.verdict === 'PASS' ? 'PASS' : '**FAIL**'} | ${cell(result.proves)} | ${seconds(result.durationMs)} |`),
    '',
  ];
  for (const result of report.scenarios) {
    lines.push(`## ${result.name}`, '', `**${result.verdict}** in ${seconds(result.durationMs)}.`, '', `> ${result.claim}`, '');
    if (result.error) lines.push(`The scenario stopped on an error: \`${result.error.replace(/`/g, "'")}\``, '');
    lines.push('### Evidence', '');
    for (const item of result.evidence) {
      const mark = item.kind === 'measurement' ? '• measured' : item.holds ? '✓ holds' : '✗ **broken**';
      lines.push(`- ${mark}: ${item.statement}. ${item.detail}`);
    }
    lines.push('', '<details><summary>Narrated trace</summary>', '', '```text', ...result.trace.map(traceLine), '```', '', '</details>', '');
  }
  return `${lines.join('\n')}\n`;
}

/** The report files' names in the report folder. */
export interface ReportFileNames {
  json: string;
  markdown: string;
  html: string;
}

/** Past this, a partial run's file name gives the number of scenarios and a digest of their names instead. */
const MAX_NAMES_IN_FILE_NAME = 120;

/**
 * A full run writes the canonical reports: scenarios.json, scenarios.md and
 * index.html (the demo, docker compose and the compose check read them). A run
 * of some scenarios writes beside them, under its own names
 * (`scenarios-hub-breach+pin-lockout.md`), and leaves the full run's alone.
 */
export function reportFileNames(played: readonly string[], all: readonly string[]): ReportFileNames {
  const chosen = [...new Set(played)].sort();
  const everyScenario = chosen.length === 0 || (chosen.length === all.length && all.every((name) => chosen.includes(name)));
  if (everyScenario) return { json: 'scenarios.json', markdown: 'scenarios.md', html: 'index.html' };
  let names = chosen.join('+');
  if (names.length > MAX_NAMES_IN_FILE_NAME) names = `${chosen.length}-scenarios-${createHash('sha256').update(names).digest('hex').slice(0, 8)}`;
  return { json: `scenarios-${names}.json`, markdown: `scenarios-${names}.md`, html: `scenarios-${names}.html` };
}

/** Writes the JSON, Markdown and HTML (the interactive page) reports under the given names; returns their paths. */
export async function writeReports(dir: string, report: ScenarioReport, names: ReportFileNames = reportFileNames([], [])): Promise<ReportFileNames> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, names.json);
  const markdown = path.join(dir, names.markdown);
  const page = path.join(dir, names.html);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(report));
  await writeFile(page, renderHtml(report, { json: names.json, markdown: names.markdown }));
  return { json, markdown, html: page };
}

export { traceLine };
