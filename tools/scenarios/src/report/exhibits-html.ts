import type { ExchangeViewsExhibit, JoinAttackExhibit, PartyColumn } from '../runner/trace-format';
import { html, type SafeHtml } from '@myna/platform';
import { japanTime, partyColour, partyName, partyShort, withJapanese } from './presentation';

/** "One exchange, six views": one column per party, what the exchange wrote there, and what is never there. */
export function exchangeViews(exhibit: ExchangeViewsExhibit, id: string, scenarioAnchor: string, scenarioName: string): SafeHtml {
  return html`<section class="exhibit exchange-views" id="${id}" aria-labelledby="${id}-title" data-variant="${exhibit.variant}">
<h3 id="${id}-title">${exhibit.variant === 'permitted' ? 'A permitted exchange' : 'A denied exchange'}: ${exhibit.title}</h3>
<p class="lead">${exhibit.outcome}. Read from each party’s own database between ${japanTime(exhibit.startedAt)} and ${japanTime(exhibit.finishedAt)},
in scenario <a href="#${scenarioAnchor}">${scenarioName}</a> (its diagram shows the messages).</p>
<div class="columns">${exhibit.parties.map((party) => partyColumn(party, id))}</div>
</section>`;
}

function partyColumn(column: PartyColumn, id: string): SafeHtml {
  const written = column.written.reduce((sum, table) => sum + table.rows.length, 0);
  return html`<article class="column" data-party="${column.party}" aria-labelledby="${id}-${column.party}">
<h4 id="${id}-${column.party}" style="border-color: ${partyColour(column.party)}">${column.party} <span class="party-name">${withJapanese(partyName(column.party))}</span></h4>
<p class="knows"><strong>Knows the citizen as:</strong> ${column.knowsCitizenAs}</p>
<h5>Searched for in its whole database</h5>
<ul class="secrets">${column.secrets.map((secret) => {
    const where = secret.foundAt.join(', ');
    if (secret.expected && where) return html`<li class="held">${withJapanese(secret.label)}: <strong>kept here</strong>, as it should be (<code>${where}</code>)</li>`;
    if (secret.expected) return html`<li class="held">${withJapanese(secret.label)}: not found</li>`;
    if (where) return html`<li class="leak">${withJapanese(secret.label)}: <strong>FOUND HERE</strong>, where it must never be (<code>${where}</code>)</li>`;
    return html`<li class="never"><span aria-hidden="true">✓</span> ${withJapanese(secret.label)}: <strong>never here</strong></li>`;
  })}</ul>
<h5>Written to its database during the exchange</h5>
${written === 0 ? html`<p class="empty">Nothing.</p>` : column.written.map(
    (table) => html`<details class="rows" open><summary><code>${table.table}</code>: ${table.rows.length} ${table.rows.length === 1 ? 'row' : 'rows'}</summary>
${table.rows.map((row) => html`<dl class="row">${Object.entries(row).map(([name, value]) => html`<div><dt>${name}</dt><dd>${value === null ? html`<span class="note">null</span>` : html`<code>${value}</code>`}</dd></div>`)}</dl>`)}</details>`,
  )}
</article>`;
}

const CLASS_NAMES: Record<string, string> = {
  identifier: 'identifier (codes, ids)',
  'quasi-identifier': 'quasi-identifier (name, address, birth date)',
  'exchange-reference': 'exchange reference (an exchange id)',
  attribute: 'attribute (amounts, dates, statuses)',
};

const CLASS_COLOURS: Record<string, string> = {
  identifier: '#b3261e',
  'quasi-identifier': '#9a4500',
  'exchange-reference': '#0b5fb3',
  attribute: '#5b6475',
};

const DUMP_WIDTH = 218;
const GAP = 96;
const LINE = 15;

/** The join attack as a picture: the dumps side by side, every column by what a join on it would mean, and the joins that linked someone. */
export function joinAttackPicture(exhibit: JoinAttackExhibit, id: string, scenarioAnchor: string): SafeHtml {
  const positions = new Map<string, { x: number; y: number }>();
  let height = 0;
  const boxes = exhibit.dumps.map((dump, index) => {
    const left = 8 + index * (DUMP_WIDTH + GAP);
    let y = 60;
    const rows: SafeHtml[] = [];
    for (const table of dump.tables) {
      rows.push(html`<text x="${left + 8}" y="${y}" class="table">${table.table} (${table.rows})</text>`);
      y += LINE;
      for (const column of table.columns) {
        positions.set(`${dump.party}/${table.table}/${column.name}`, { x: left, y: y - 4 });
        rows.push(html`<circle cx="${left + 16}" cy="${y - 4}" r="4" fill="${CLASS_COLOURS[column.class]}"/><text x="${left + 25}" y="${y}" class="column">${column.name}</text>`);
        y += LINE;
      }
      y += 4;
    }
    height = Math.max(height, y + 8);
    return html`<g class="dump"><title>${partyName(dump.party)}: ${dump.rows} rows; ${dump.profile}</title>
<rect x="${left}" y="8" width="${DUMP_WIDTH}" height="${y - 4}" rx="6" fill="#fff" stroke="${partyColour(dump.party)}" stroke-width="2"/>
<rect x="${left}" y="8" width="${DUMP_WIDTH}" height="26" rx="6" fill="${partyColour(dump.party)}"/>
<text x="${left + DUMP_WIDTH / 2}" y="26" text-anchor="middle" class="head">${partyShort(dump.party)} dump · ${dump.rows} rows</text>
<text x="${left + 8}" y="${46}" class="profile">${dump.profile.split(':')[0]}</text>
${rows}</g>`;
  });
  const drawn = exhibit.joins.filter((join) => join.linkedPersons > 0 && join.category !== 'attribute');
  const lines = drawn.map((join) => {
    const from = positions.get(`${join.left.party}/${join.left.table}/${join.left.column}`);
    const to = positions.get(`${join.right.party}/${join.right.table}/${join.right.column}`);
    if (!from || !to) return html``;
    const [a, b] = from.x < to.x ? [from, to] : [to, from];
    const start = a.x + DUMP_WIDTH - 4;
    const end = b.x + 4;
    const bend = Math.min(GAP, (end - start) / 2);
    return html`<path d="M ${start} ${a.y} C ${start + bend} ${a.y}, ${end - bend} ${b.y}, ${end} ${b.y}" fill="none" stroke="${CLASS_COLOURS[join.category]}" stroke-width="2" stroke-opacity="0.8"><title>${join.left.party} ${join.left.table}.${join.left.column} = ${join.right.party} ${join.right.table}.${join.right.column}: ${join.linkedPersons} persons linked</title></path>`;
  });
  const width = 8 + exhibit.dumps.length * (DUMP_WIDTH + GAP) - GAP + 8;
  const quasi = exhibit.quasiIdentifierJoins.filter((join) => join.columns.length === 3 || join.linkedPersons > 0);
  const fullQuasi = exhibit.quasiIdentifierJoins.filter((join) => join.columns.length === 3).reduce((sum, join) => sum + join.linkedPersons, 0);
  const byCategory = (category: string) => exhibit.joins.filter((join) => join.category === category && join.linkedPersons > 0);
  return html`<section class="exhibit join-attack" id="${id}" aria-labelledby="${id}-title">
<h3 id="${id}-title">The dumps side by side, and what joined them</h3>
<p class="lead">Full dumps of ${exhibit.dumps.map((dump) => dump.party).join(', ')} (insiders at every agency, colluding), from scenario <a href="#${scenarioAnchor}">cross-agency-join-attack</a>.
Every column of every dump was tried against every column of every other: <strong>${exhibit.columnPairsTried.toLocaleString('en-US')} column pairs</strong>, and every combination of name, address and birth date.</p>
<div class="big-figures">
<p class="figure ${exhibit.identifierLinks === 0 ? 'ok' : 'bad'}"><span class="number">${exhibit.identifierLinks}</span> persons linked on an identifier: one person’s agency codes <span lang="ja">(機関別符号)</span> differ at every agency</p>
<p class="figure"><span class="number">${fullQuasi}</span> persons linked on name + address + birth date together, where two agencies keep contact data (measured)</p>
<p class="figure"><span class="number">${byCategory('exchange-reference').reduce((sum, join) => sum + join.linkedPersons, 0)}</span> persons linked through an exchange id that both sides of an exchange keep (measured, summed over column pairs)</p>
</div>
<ul class="legend">${Object.entries(CLASS_NAMES).map(([name, label]) => html`<li><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="${CLASS_COLOURS[name]}"/></svg> ${label}</li>`)}</ul>
<div class="scroll" tabindex="0" role="region" aria-label="The dumps side by side; lines are joins that linked at least one person">
<svg class="join-picture" role="img" aria-labelledby="${id}-svg-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-svg-title">${exhibit.dumps.length} database dumps side by side with their columns; ${drawn.length} column pairs linked someone (${exhibit.identifierLinks} persons on identifiers); the tables below list them</title>
${boxes}${lines}</svg></div>
<table class="joins"><caption>Joins that linked at least one person (attribute coincidences counted, not drawn)</caption>
<thead><tr><th scope="col">kind</th><th scope="col">columns joined</th><th scope="col">shared values</th><th scope="col">persons linked</th></tr></thead>
<tbody>${drawn.map(
    (join) => html`<tr data-category="${join.category}"><td>${join.category}</td><td><code>${join.left.party} ${join.left.table}.${join.left.column}</code> = <code>${join.right.party} ${join.right.table}.${join.right.column}</code></td><td>${join.sharedValues}</td><td>${join.linkedPersons}</td></tr>`,
  )}
<tr data-category="attribute"><td>attribute</td><td>${byCategory('attribute').length} column pairs (amounts, dates: one value held by one person on each side)</td><td>—</td><td>${byCategory('attribute').reduce((sum, join) => sum + join.linkedPersons, 0)}</td></tr>
</tbody></table>
<table class="quasi"><caption>Quasi-identifier joins, with each database’s data profile (data minimization vs contact data)</caption>
<thead><tr><th scope="col">dumps</th><th scope="col">on</th><th scope="col">persons linked</th><th scope="col">profiles</th></tr></thead>
<tbody>${quasi.map(
    (join) => html`<tr><td>${join.left.party} × ${join.right.party}</td><td>${join.columns.map((column) => column.replace(/^contact_/, '')).join(' + ')}</td><td>${join.linkedPersons}</td><td>${[join.left.party, join.right.party].map((party) => `${party}: ${exhibit.dumps.find((dump) => dump.party === party)?.profile ?? 'unknown'}`).join('; ')}</td></tr>`,
  )}</tbody></table>
</section>`;
}
