import type { ScenarioResult, TraceEntry } from '../runner/scenario';
import type { ExchangeViewsExhibit, JoinAttackExhibit } from '../runner/trace-format';
import { exchangeViews, joinAttackPicture } from './exhibits-html';
import { html, SafeHtml } from '@myna/platform';
import { messagePanel } from './message-panel';
import { japanTime, seconds, withJapanese } from './presentation';
import type { ScenarioReport } from './scenario-report';
import { sequenceDiagram, type NumberedMessage } from './sequence-diagram';
import { REPORT_CSS } from './report-css';

/**
 * reports/index.html: one self-contained page (no network, no external file,
 * no script) showing each scenario's verdict and evidence, its messages as a
 * sequence diagram whose arrows open what each party saw, one exchange from
 * every party's side, and the join attack as a picture.
 */

const TARGETS: Record<ScenarioReport['target']['mode'], string> = {
  given: 'the federation given by the environment',
  'running-demo': 'the running demo (npm run demo)',
  embedded: 'an embedded federation started for this run',
};

const anchorOf = (name: string) => `s-${name.replace(/[^a-z0-9-]/gi, '-')}`;

function numberedMessages(result: ScenarioResult): NumberedMessage[] {
  const anchor = anchorOf(result.name);
  return result.trace
    .filter((entry): entry is TraceEntry & { message: NonNullable<TraceEntry['message']> } => entry.kind === 'message' && entry.message !== undefined)
    .map((entry, index) => ({ number: index + 1, atMs: entry.atMs, message: entry.message, anchor: `${anchor}-m${index + 1}` }));
}

function traceLine(entry: TraceEntry): SafeHtml {
  const at = html`<span class="at">+${seconds(entry.atMs)}</span>`;
  if (entry.kind === 'check') return html`<li class="${entry.holds ? 'ok' : 'bad'}">${at} <span aria-hidden="true">${entry.holds ? '✓' : '✗'}</span> <span class="visually-hidden">${entry.holds ? 'holds:' : 'broken:'}</span> ${entry.text}</li>`;
  if (entry.kind === 'measurement') return html`<li class="measured">${at} <span aria-hidden="true">•</span> ${entry.text}</li>`;
  if (entry.kind === 'message') return html`<li class="message">${at} <span aria-hidden="true">✉</span> ${entry.text}</li>`;
  return html`<li>${at} <span class="actor">[${entry.actor ?? ''}]</span> ${entry.text}</li>`;
}

function evidence(result: ScenarioResult): SafeHtml {
  const checks = result.evidence.filter((item) => item.kind === 'check');
  const held = checks.filter((item) => item.holds).length;
  return html`<h3>Evidence: ${held} of ${checks.length} checks hold</h3>
<ul class="evidence">${result.evidence.map((item) =>
    item.kind === 'measurement'
      ? html`<li class="measured"><strong>Measured:</strong> ${item.statement}. <span class="detail">${item.detail}</span></li>`
      : html`<li class="${item.holds ? 'ok' : 'bad'}"><strong>${item.holds ? '✓ Holds' : '✗ Broken'}:</strong> ${item.statement}. <span class="detail">${item.detail}</span></li>`,
  )}</ul>`;
}

/**
 * The most messages one scenario draws: a burst (a soak of two dozen exchanges) repeats
 * the same five kinds of message, and every panel costs kilobytes; the JSON report keeps all.
 */
export const MAX_DRAWN_MESSAGES = 24;

function scenarioSection(result: ScenarioResult, exhibitLinks: SafeHtml): SafeHtml {
  const anchor = anchorOf(result.name);
  const all = numberedMessages(result);
  const messages = all.slice(0, MAX_DRAWN_MESSAGES);
  const diagram = `${anchor}-diagram`;
  return html`<section class="scenario" id="${anchor}" aria-labelledby="${anchor}-title" data-verdict="${result.verdict}">
<h2 id="${anchor}-title">${result.name} <span class="verdict ${result.verdict === 'PASS' ? 'pass' : 'fail'}">${result.verdict}</span> <span class="duration">${seconds(result.durationMs)}</span></h2>
<p class="claim">${withJapanese(result.claim)}</p>
<p class="proves"><strong>What a PASS proves:</strong> ${withJapanese(result.proves)}</p>
${result.error ? html`<p class="error">The scenario stopped on an error: <code>${result.error}</code></p>` : ''}
${evidence(result)}
${exhibitLinks}
${messages.length > 0
    ? html`<h3 id="${diagram}">Messages between the parties (${all.length})</h3>
<p class="hint-text">Every message the queues carried while the scenario ran, read off Redis afterwards and drawn in the order it was sent. Select an arrow to see what each party could read and open of it.</p>
${all.length > messages.length ? html`<p class="note">The first ${messages.length} of ${all.length} messages are drawn; the rest repeat the same kinds, and reports/scenarios.json keeps every one.</p>` : ''}
<div class="scroll diagram" tabindex="0" role="region" aria-label="Sequence diagram of ${result.name}">${sequenceDiagram(`Messages of ${result.name}, as a sequence diagram`, messages)}</div>
<div class="panels"><p class="hint">No message selected: select an arrow in the diagram.</p>${messages.map((message) => messagePanel(result.name, message, messages.length, diagram))}</div>`
    : html`<p class="note">No message went through the queues in this scenario.</p>`}
<details class="trace"><summary>Narrated trace (${result.trace.length} lines)</summary><ol class="trace-lines">${result.trace.map(traceLine)}</ol></details>
<p class="top"><a href="#contents">Back to the contents</a></p>
</section>`;
}

interface FoundExhibit<E> {
  exhibit: E;
  scenario: string;
  id: string;
}

export function renderHtml(report: ScenarioReport, evidence: { json: string; markdown: string } = { json: 'scenarios.json', markdown: 'scenarios.md' }): string {
  const views: FoundExhibit<ExchangeViewsExhibit>[] = [];
  const joins: FoundExhibit<JoinAttackExhibit>[] = [];
  for (const result of report.scenarios) {
    (result.exhibits ?? []).forEach((exhibit, index) => {
      if (exhibit.kind === 'exchange-views') views.push({ exhibit, scenario: result.name, id: `views-${exhibit.variant}${views.some((view) => view.exhibit.variant === exhibit.variant) ? `-${index}` : ''}` });
      else joins.push({ exhibit, scenario: result.name, id: `join-attack${joins.length ? `-${joins.length}` : ''}` });
    });
  }
  const exhibitLinks = (name: string) => {
    const links = [
      ...views.filter((view) => view.scenario === name).map((view) => html`<li><a href="#${view.id}">This scenario’s exchange, from all six sides</a></li>`),
      ...joins.filter((join) => join.scenario === name).map((join) => html`<li><a href="#${join.id}">The join attack as a picture</a></li>`),
    ];
    return links.length ? html`<ul class="exhibit-links">${links}</ul>` : html``;
  };
  const passed = report.summary.verdict === 'PASS';
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scenario report: ${report.summary.verdict}, ${report.summary.passed} of ${report.summary.total} · myna-exchange</title>
<style>${new SafeHtml(REPORT_CSS)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header class="site-header">
<p class="brand">myna-exchange <span class="brand-sub">scenario report: what each party saw</span></p>
</header>
<main id="main">
<h1>What each party saw <span class="verdict ${passed ? 'pass' : 'fail'}">${report.summary.verdict}</span></h1>
<p class="lead">${report.summary.passed} of ${report.summary.total} scenarios passed, against ${TARGETS[report.target.mode]}, ${japanTime(report.startedAt)} – ${japanTime(report.finishedAt)}.
Each scenario tests one claim against the real services, databases and queues. Values are the run’s own, shortened where long (head…tail), never made up.
Decrypting uses the key files the auditor was given; a party whose key file was not given is shown as “not tried”.</p>
<nav id="contents" aria-label="Contents">
<h2>Contents</h2>
<ol>
${views.length ? html`<li><a href="#six-views">One exchange, six views</a><ol>${views.map((view) => html`<li><a href="#${view.id}">${view.exhibit.variant === 'permitted' ? 'A permitted exchange' : 'A denied exchange'}</a></li>`)}</ol></li>` : ''}
${joins.length ? html`<li><a href="#${joins[0].id}">The join attack as a picture</a></li>` : ''}
<li><a href="#scenarios">The scenarios</a></li>
</ol>
</nav>
<table class="summary"><caption>Every scenario of the run</caption>
<thead><tr><th scope="col">scenario</th><th scope="col">verdict</th><th scope="col">what a PASS proves</th><th scope="col">messages</th><th scope="col">time</th></tr></thead>
<tbody>${report.scenarios.map(
    (result) => html`<tr><td><a href="#${anchorOf(result.name)}">${result.name}</a></td><td><span class="verdict ${result.verdict === 'PASS' ? 'pass' : 'fail'}">${result.verdict}</span></td><td>${withJapanese(result.proves)}</td><td>${numberedMessages(result).length}</td><td>${seconds(result.durationMs)}</td></tr>`,
  )}</tbody></table>
${views.length
    ? html`<section id="six-views" aria-labelledby="six-views-title">
<h2 id="six-views-title">One exchange, six views</h2>
<p class="lead">${withJapanese(
      'One real exchange, one column per party: how each knows the citizen, what the exchange wrote to its own database, and where the citizen’s ' +
        'My Number (個人番号), each party’s agency code (機関別符号) and the answer are, searched in its whole database. ' +
        'Each column is that party’s alone: no two parties share a database.',
    )}</p>
${views.map((view) => exchangeViews(view.exhibit, view.id, anchorOf(view.scenario), view.scenario))}
</section>`
    : ''}
${joins.length ? html`<section id="join-attack-section" aria-labelledby="join-attack-section-title"><h2 id="join-attack-section-title">The join attack as a picture</h2>${joins.map((join) => joinAttackPicture(join.exhibit, join.id, anchorOf(join.scenario)))}</section>` : ''}
<section id="scenarios" aria-labelledby="scenarios-title">
<h2 id="scenarios-title">The scenarios</h2>
${report.scenarios.map((result) => scenarioSection(result, exhibitLinks(result.name)))}
</section>
</main>
<footer class="site-footer"><p>A simulator of Japan’s My Number system <span lang="ja">(マイナンバー制度)</span>, for study. Every person and record here is made up. Written by <code>npm run scenarios</code>; the same run’s evidence is in ${evidence.json} and ${evidence.markdown}.</p></footer>
</body>
</html>
`;
  return body.markup;
}
