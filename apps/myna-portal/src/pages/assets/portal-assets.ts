/** The portal's own static files, served from memory (the build compiles TypeScript only). */
import { JAPANESE_FONT_FACE, JAPANESE_FONT_FAMILY } from '@myna/platform';

export const PORTAL_CSS = `
${JAPANESE_FONT_FACE}
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dee8; --accent: #0b5fb3; --ok: #1c7c45; --bad: #b3261e; --paper: #f7f8fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 "${JAPANESE_FONT_FAMILY}", system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif; color: var(--ink); background: var(--paper); }
.site-header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem 2rem; padding: 0.75rem 1.5rem; background: #fff; border-bottom: 3px solid var(--accent); }
.brand { font-weight: 700; font-size: 1.2rem; color: var(--accent); text-decoration: none; }
nav { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.25rem; }
nav a { color: var(--ink); text-decoration: none; padding: 0.25rem 0; border-bottom: 2px solid transparent; }
nav a[aria-current="page"] { border-bottom-color: var(--accent); font-weight: 600; }
.sign-out { margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.5rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.25rem; }
.lead { color: var(--muted); max-width: 60rem; }
table { width: 100%; border-collapse: collapse; background: #fff; margin: 0.5rem 0 1rem; }
caption { text-align: left; color: var(--muted); padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.6rem; border-bottom: 1px solid var(--line); }
th { background: #eef2f8; font-weight: 600; }
.procedure, .reason, .meta { color: var(--muted); font-size: 0.9rem; }
.permitted { color: var(--ok); }
.denied { color: var(--bad); }
.unanswered { color: var(--muted); }
.error { color: var(--bad); font-weight: 600; }
.empty { color: var(--muted); font-style: italic; }
button { font: inherit; padding: 0.45rem 1rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button:disabled { opacity: 0.5; cursor: default; }
.sign-out button { background: #fff; color: var(--accent); }
.reader { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; max-width: 34rem; margin: 1rem 0; }
.reader-note { color: var(--muted); font-size: 0.9rem; }
.field { display: flex; flex-direction: column; gap: 0.25rem; margin: 0 0 0.75rem; }
select, input { font: inherit; padding: 0.4rem 0.5rem; border: 1px solid var(--line); border-radius: 4px; }
.reader-status { min-height: 1.5em; }
.agency { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
.explainer { margin-top: 2rem; color: var(--muted); max-width: 60rem; }
.site-footer { color: var(--muted); font-size: 0.85rem; text-align: center; padding: 2rem 1rem; }
.holder { display: flex; align-items: center; gap: 0.5rem; margin: 0 0 0 auto; }
.holder img { width: 36px; height: 48px; border-radius: 3px; border: 1px solid var(--line); }
.demo-help { background: #fff8e1; border: 1px solid #e6c65c; border-radius: 8px; padding: 0.75rem 1.25rem; max-width: 34rem; margin: 1rem 0; }
.demo-help h2 { font-size: 1rem; margin: 0 0 0.25rem; }
.demo-help p { margin: 0; }
.not-sent { color: var(--bad); font-weight: 600; }
`;

/** Completes a sign-in the card reader brought back: posts what the chip signed (from the URL fragment) with this browser's sign-in cookie. */
export const LOGIN_SCRIPT = `(function () {
  'use strict';
  var failure = document.getElementById('login-error');
  var progress = document.getElementById('login-progress');
  var fields = new URLSearchParams(window.location.hash.slice(1));
  history.replaceState(null, '', window.location.pathname);
  function fail(message, code) {
    if (progress) progress.hidden = true;
    failure.textContent = message;
    failure.dataset.reason = code || 'error';
    failure.hidden = false;
  }
  if (fields.get('error')) return fail(fields.get('error'), 'reader-error');
  if (!fields.get('challenge') || !fields.get('certificate') || !fields.get('signature')) return fail('The card reader did not bring back a signature. Please sign in again.', 'no-signature');
  fetch('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      challengeId: fields.get('challenge'),
      certificate: fields.get('certificate'),
      signature: fields.get('signature'),
      holderName: fields.get('name') || undefined,
      holderPhoto: fields.get('photo') || undefined,
    }),
  }).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      if (response.ok) return window.location.assign(body.next || '/records');
      fail(body.reason || 'Sign-in failed.', body.code);
    });
  }, function () { fail('The portal could not be reached.', 'network'); });
})();
`;

/** While an agency's answer is pending, look again shortly. */
export const PORTAL_SCRIPT = `(function () {
  'use strict';
  if (document.querySelector('[data-pending]')) setTimeout(function () { window.location.reload(); }, 1500);
})();
`;

/** The portal's icon: a My Number Card on the portal's blue. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="6" fill="#0b5fb3"/>' +
  '<rect x="5" y="9" width="22" height="15" rx="2" fill="#fff"/>' +
  '<circle cx="11" cy="15" r="2.5" fill="#0b5fb3"/>' +
  '<path d="M7.5 21.5c.6-2.2 2-3.3 3.5-3.3s2.9 1.1 3.5 3.3z" fill="#0b5fb3"/>' +
  '<rect x="17" y="13" width="7" height="1.8" rx=".9" fill="#0b5fb3"/>' +
  '<rect x="17" y="17" width="5" height="1.8" rx=".9" fill="#0b5fb3"/>' +
  '</svg>\n';
