import type { TracedMessage } from '../runner/trace-format';
import { html, type SafeHtml } from '@myna/platform';
import { messageName, partyColour, partyName, partyShort, seconds } from './presentation';

/** One message of a scenario, numbered as the diagram and its panel number it. */
export interface NumberedMessage {
  number: number;
  atMs: number;
  message: TracedMessage;
  /** The id of its panel. */
  anchor: string;
}

const COLUMN = 118;
const LEFT = 64;
const HEADER = 40;
const ROW = 38;

/** The parties in the order they first appear; an attacker always on the left, where the eye starts. */
export function lifelines(messages: readonly NumberedMessage[]): string[] {
  const order: string[] = [];
  for (const { message } of messages) for (const party of [message.from, message.to]) if (!order.includes(party)) order.push(party);
  return [...order.filter((party) => party === 'attacker'), ...order.filter((party) => party !== 'attacker')];
}

/**
 * The scenario's messages as a sequence diagram (SVG), drawn from the trace:
 * one lifeline per party that sent or received, one arrow per message in the
 * order it was sent. Each arrow is a link to the panel of what each party saw.
 */
export function sequenceDiagram(title: string, messages: readonly NumberedMessage[]): SafeHtml {
  const parties = lifelines(messages);
  const x = (party: string) => LEFT + COLUMN * parties.indexOf(party) + COLUMN / 2;
  const width = LEFT + COLUMN * parties.length + 8;
  const height = HEADER + 16 + ROW * messages.length + 8;
  const heads = parties.map(
    (party) => html`<g class="lifeline"><title>${partyName(party)}</title>
<rect x="${x(party) - 52}" y="4" width="104" height="28" rx="6" fill="${partyColour(party)}"/>
<text x="${x(party)}" y="23" text-anchor="middle" class="head">${partyShort(party)}</text>
<line x1="${x(party)}" y1="32" x2="${x(party)}" y2="${height - 4}" stroke="${partyColour(party)}" stroke-dasharray="4 4"/></g>`,
  );
  const arrows = messages.map(({ number, atMs, message, anchor }, index) => {
    const y = HEADER + 16 + ROW * index + 22;
    const from = x(message.from);
    const to = x(message.to);
    const direction = to >= from ? 1 : -1;
    const colour = partyColour(message.from);
    const tip = to - direction * 2;
    const label = `${number}. ${message.jobName}${message.refused ? ' ✗ refused' : ''}`;
    // The accessible name starts with the visible label (WCAG 2.5.3), then says the rest.
    const description = `${label}: ${messageName(message.jobName)} from ${message.from}${message.claimedFrom ? ` posing as ${message.claimedFrom}` : ''} to ${message.to}, ${message.outcome}. Show what each party saw.`;
    return html`<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end" class="time">+${seconds(atMs)}</text>
<a href="#${anchor}" aria-label="${description}" class="arrow${message.refused ? ' refused' : ''}">
<rect class="hit" x="${Math.min(from, to) - 6}" y="${y - 20}" width="${Math.abs(to - from) + 12}" height="28" rx="4"/>
<line x1="${from}" y1="${y}" x2="${tip - direction * 8}" y2="${y}" stroke="${colour}" stroke-width="2"${message.from === 'attacker' ? html` stroke-dasharray="6 3"` : ''}/>
<polygon points="${tip},${y} ${tip - direction * 10},${y - 5} ${tip - direction * 10},${y + 5}" fill="${colour}"/>
<text x="${(from + to) / 2}" y="${y - 6}" text-anchor="middle" class="label">${label}</text>
</a>
${message.refused ? html`<text x="${tip + direction * 4}" y="${y + 5}" text-anchor="${direction > 0 ? 'start' : 'end'}" class="cross" aria-hidden="true">✗</text>` : ''}`;
  });
  return html`<svg class="sequence" role="group" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
${heads}
${arrows}
</svg>`;
}
