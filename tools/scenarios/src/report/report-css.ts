/**
 * The report's styles, inlined into the page: the portal's palette and type,
 * text contrast of at least 4.5:1, sizes in rem so that the page reflows at 200%.
 * A message's panel shows when its arrow is followed (`:target`): no script.
 */
export const REPORT_CSS = `
:root { --ink: #1d2433; --muted: #515a6b; --line: #d9dee8; --accent: #0b5fb3; --ok: #1c7c45; --bad: #b3261e; --paper: #f7f8fb; --warn: #8a4b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "IPAGothic", sans-serif; color: var(--ink); background: var(--paper); }
a { color: var(--accent); }
a:focus-visible, [tabindex]:focus-visible, summary:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999rem; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem 1rem; z-index: 1; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.site-header { padding: 0.75rem 1.5rem; background: #fff; border-bottom: 3px solid var(--accent); }
.brand { margin: 0; font-weight: 700; font-size: 1.2rem; color: var(--accent); }
.brand-sub { font-weight: 400; color: var(--muted); font-size: 1rem; }
main { max-width: 100rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.5rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 0.75rem 0 0.4rem; }
h5 { font-size: 0.95rem; margin: 0.75rem 0 0.3rem; }
.lead, .hint-text { color: var(--muted); max-width: 70rem; }
code { font: 0.85rem/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.note { color: var(--muted); font-size: 0.85rem; }
.ok { color: var(--ok); }
.bad, .error { color: var(--bad); }
.verdict { display: inline-block; font-size: 0.85rem; font-weight: 700; padding: 0.05rem 0.5rem; border-radius: 1rem; vertical-align: middle; }
.verdict.pass { background: #e3f3e8; color: #14572f; }
.verdict.fail { background: #fbe4e2; color: #8c1d16; }
.duration { font-size: 0.9rem; font-weight: 400; color: var(--muted); }
table { border-collapse: collapse; background: #fff; margin: 0.5rem 0 1rem; width: 100%; }
caption { text-align: left; color: var(--muted); padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); }
th { background: #eef2f8; font-weight: 600; }
nav ol { padding-left: 1.5rem; }
.scenario { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1.25rem 1rem; margin: 1.5rem 0; }
.scenario > h2 { margin-top: 0.75rem; }
.claim { font-style: italic; max-width: 70rem; }
.evidence { padding-left: 1.25rem; max-width: 80rem; }
.evidence li { margin: 0.3rem 0; }
.evidence .detail { color: var(--muted); overflow-wrap: anywhere; }
li.measured strong { color: var(--accent); }
.scroll { overflow-x: auto; max-width: 100%; }
svg text { font-family: system-ui, sans-serif; }
.sequence .head, .join-picture .head { fill: #fff; font-size: 13px; font-weight: 700; }
.sequence .time { fill: var(--muted); font-size: 11px; }
.sequence .label { fill: var(--ink); font-size: 12px; }
.sequence .refused .label, .sequence .cross { fill: var(--bad); font-weight: 700; }
.sequence .hit { fill: transparent; }
.sequence a:hover .hit, .sequence a:focus .hit { fill: #fff3c4; stroke: #8a5a00; stroke-width: 1.5; }
.sequence a:focus { outline: none; }
.panels .hint { color: var(--muted); font-style: italic; }
.panels:has(.message-panel:target) .hint { display: none; }
.message-panel { display: none; border: 2px solid var(--accent); border-radius: 8px; padding: 0.5rem 1rem 1rem; margin: 0.75rem 0; background: #fbfcfe; }
.message-panel:target { display: block; }
dl.meta, dl.header, dl.row { margin: 0.25rem 0; }
dl.meta { display: flex; flex-wrap: wrap; gap: 0.1rem 1.5rem; }
dl.meta > div, dl.row > div { display: flex; flex-wrap: wrap; gap: 0 0.5rem; }
dl.meta dt, dl.row dt { font-weight: 600; }
dl.meta dd, dl.row dd, dl.header dd { margin: 0; overflow-wrap: anywhere; }
dl.header { display: flex; flex-wrap: wrap; gap: 0.1rem 1rem; font-size: 0.9rem; }
dl.header > div { display: flex; gap: 0.3rem; }
dl.header dt { color: var(--muted); }
.anyone { border: 1px dashed var(--muted); border-radius: 6px; padding: 0.25rem 0.75rem 0.5rem; background: #fff; }
.layer { border-left: 3px solid var(--line); padding: 0.1rem 0 0.1rem 0.6rem; margin: 0.3rem 0; }
.layer.sealed { border-left: 6px double var(--warn); background: #fdf6ec; }
.layer-title { margin: 0.2rem 0; font-weight: 600; }
table.claims { margin: 0.25rem 0; font-size: 0.9rem; }
table.claims caption { font-size: 0.85rem; }
table.claims th { width: 8rem; background: #f4f6fa; }
.views { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.75rem; }
.columns { display: grid; grid-template-columns: repeat(auto-fill, minmax(12.5rem, 1fr)); gap: 0.6rem; }
.view, .column { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 0.75rem 0.5rem; min-width: 0; }
.view.opens { grid-column: span 2; }
@media (max-width: 40rem) { .view.opens { grid-column: auto; } }
.view h5, .column h4 { border-bottom: 4px solid; padding-bottom: 0.2rem; margin-top: 0.4rem; }
.party-name { display: block; font-weight: 400; color: var(--muted); font-size: 0.85rem; }
.role { margin: 0.3rem 0; }
.opening { margin: 0.3rem 0; }
.opening.opened > p, p.opening.opened { color: var(--ok); }
.opening.closed { color: var(--bad); }
.opening.untried { color: var(--muted); }
.opening .note { display: block; }
.exhibit { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1.25rem 1rem; margin: 1rem 0; }
.column details.rows { margin: 0.3rem 0; font-size: 0.9rem; }
.column dl.row { border-top: 1px solid var(--line); padding-top: 0.2rem; }
.column dl.row dt { min-width: 0; color: var(--muted); font-weight: 400; }
.secrets { list-style: none; padding: 0; margin: 0.25rem 0; font-size: 0.92rem; }
.secrets li { margin: 0.3rem 0; padding-left: 0.4rem; border-left: 4px solid var(--line); }
.secrets li.never { border-left-color: var(--ok); }
.secrets li.held { border-left-color: var(--accent); }
.secrets li.leak { border-left-color: var(--bad); color: var(--bad); }
.empty { color: var(--muted); font-style: italic; }
.big-figures { display: flex; flex-wrap: wrap; gap: 1rem; }
.figure { flex: 1 1 14rem; background: var(--paper); border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0; }
.figure .number { display: block; font-size: 2rem; font-weight: 700; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.join-picture .table { font-size: 12px; font-weight: 700; fill: var(--ink); }
.join-picture .column { font-size: 11px; fill: var(--ink); }
.join-picture .profile { font-size: 11px; fill: var(--muted); font-style: italic; }
.trace-lines { list-style: none; padding-left: 0; font-size: 0.88rem; }
.trace-lines li { margin: 0.15rem 0; overflow-wrap: anywhere; }
.trace-lines .at { display: inline-block; min-width: 4rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.trace-lines .actor { color: var(--warn); font-weight: 600; }
.trace-lines li.message { color: var(--accent); }
.exhibit-links { padding-left: 1.25rem; }
.site-footer { color: var(--muted); font-size: 0.85rem; text-align: center; padding: 2rem 1rem; }
`;
