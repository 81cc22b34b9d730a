import { SERVICES, type Service } from '@myna/protocol';
import type { CodeCiphertextLayer, DecodedClaim, DecodedLayer, JweLayer, JwsLayer, TracedMessage } from '../runner/trace-format';
import { html, type SafeHtml } from '@myna/platform';
import { japanTime, messageName, partyColour, partyName, withJapanese } from './presentation';
import type { NumberedMessage } from './sequence-diagram';

/**
 * The panel of one message: what anyone holding the token reads (an eavesdropper
 * on Redis too), then, party by party, what that party could open of the sealed
 * layers with its own key. Every value is the trace's, shortened as recorded.
 */

type Locked = JweLayer | CodeCiphertextLayer;

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf']);

const SIGNATURES: Record<JwsLayer['signature'], string> = {
  valid: 'signature valid',
  invalid: 'signature does NOT verify',
  none: 'not signed (alg none)',
  'unknown-key': 'signed with a key no service owns',
  'not-checked': 'signature not checked (the auditor held no key file)',
};

function headerLine(header: Record<string, string>): SafeHtml {
  return html`<dl class="header">${Object.entries(header).map(([name, value]) => html`<div><dt>${name}</dt><dd><code>${value}</code></dd></div>`)}</dl>`;
}

function claimValue(claim: DecodedClaim): SafeHtml {
  const value = claim.value ?? '';
  if (TIME_CLAIMS.has(claim.name) && /^\d+$/.test(value)) return html`<code>${value}</code> <span class="note">${japanTime(new Date(Number(value) * 1000).toISOString())}</span>`;
  return html`<code>${value}</code>`;
}

/** Renders a layer as one reader sees it; `open` decides what becomes of a sealed layer. */
function layerView(layer: DecodedLayer, open: (locked: Locked) => SafeHtml): SafeHtml {
  switch (layer.kind) {
    case 'jws':
      return html`<div class="layer jws"><p class="layer-title">Signed message (JWS) — ${layer.signer ? `signed with ${layer.signer}’s key` : 'signer unknown'}, <span class="${layer.signature === 'valid' ? 'ok' : 'bad'}">${SIGNATURES[layer.signature]}</span></p>
${headerLine(layer.header)}
<table class="claims"><caption>Claims, readable by anyone holding it</caption><tbody>${layer.claims.map(
        (claim) => html`<tr><th scope="row">${claim.name}</th><td>${claim.layer ? layerView(claim.layer, open) : claimValue(claim)}</td></tr>`,
      )}</tbody></table></div>`;
    case 'jwe':
    case 'code-ciphertext':
      return open(layer);
    case 'opaque':
      return html`<code>${layer.value}</code>`;
  }
}

function sealedSummary(layer: Locked, number: number): SafeHtml {
  if (layer.kind === 'jwe') {
    return html`<div class="layer sealed"><p class="layer-title">[${number}] Sealed message (JWE) for ${layer.recipient ? `${layer.recipient}’s key` : 'a key no service owns'}</p>
${headerLine(layer.header)}<p>Ciphertext <code>${layer.ciphertext}</code> <span class="note">(${layer.ciphertextLength} characters)</span></p></div>`;
  }
  return html`<div class="layer sealed"><p class="layer-title">[${number}] An agency code, encrypted to one party (ElGamal)</p><p><code>${layer.ciphertext}</code></p></div>`;
}

/** What one party makes of a sealed layer with its own key. */
function opening(party: Service, layer: Locked, keysHeld: readonly Service[], number: number | undefined): SafeHtml {
  const tag = number === undefined ? '' : `[${number}] `;
  const attempt = layer.attempts.find((candidate) => candidate.party === party);
  if (layer.kind === 'jwe') {
    if (attempt?.opened && layer.inner) {
      return html`<div class="opening opened"><p><strong>${tag}Opens it</strong> with its own key. Inside:</p>${layerView(layer.inner, (inner) => opening(party, inner, keysHeld, undefined))}</div>`;
    }
    if (attempt) return html`<p class="opening closed">${tag}<strong>Cannot open: not its key</strong> (sealed for ${layer.recipient ?? 'an unknown key'}). <span class="note">${attempt.reason ?? ''}</span></p>`;
  } else {
    if (attempt?.opened) return html`<p class="opening opened">${tag}<strong>Decrypts it to its own code</strong> for the citizen: <code>${layer.code ?? ''}</code></p>`;
    if (attempt) return html`<p class="opening closed">${tag}<strong>Cannot open: not its key</strong> (${attempt.reason ?? 'no code it holds'}).</p>`;
    if (keysHeld.includes(party)) return html`<p class="opening closed">${tag}<strong>Cannot open:</strong> its key file holds no key that decrypts codes.</p>`;
  }
  return html`<p class="opening untried">${tag}<strong>Not tried:</strong> the auditor did not hold ${party}’s key file.</p>`;
}

function role(message: TracedMessage, party: Service): string {
  if (message.from === party) return 'sent it';
  if (message.to === party) return 'received it, on its own queue';
  if (message.claimedFrom === party) return 'named as its sender, but did not send it';
  return 'not a party to it';
}

export function messagePanel(scenarioTitle: string, numbered: NumberedMessage, total: number, diagramAnchor: string): SafeHtml {
  const { message, number, anchor } = numbered;
  const locked: Locked[] = [];
  const lockedNumber = (layer: Locked) => {
    locked.push(layer);
    return locked.length;
  };
  const anyone = layerView(message.layers, (layer) => sealedSummary(layer, lockedNumber(layer)));
  const from = message.from === 'attacker' ? `the attacker${message.claimedFrom ? `, posing as ${message.claimedFrom}` : ''}` : message.from;
  const cards = SERVICES.map((party) => {
    const openings = locked.map((layer, index) => opening(party, layer, message.keysHeld, index + 1));
    const opened = locked.filter((layer) => layer.attempts.some((attempt) => attempt.party === party && attempt.opened)).length;
    return html`<article class="view${opened > 0 ? ' opens' : ''}" data-party="${party}" aria-labelledby="${anchor}-${party}">
<h5 id="${anchor}-${party}" style="border-color: ${partyColour(party)}">${party} <span class="party-name">${withJapanese(partyName(party))}</span></h5>
<p class="role">${role(message, party)}; ${locked.length === 0 ? 'nothing is sealed in it' : opened === 0 ? html`<strong>opens nothing</strong> of it` : html`<strong>opens ${opened} of ${locked.length}</strong> sealed ${locked.length === 1 ? 'layer' : 'layers'}`}</p>
${openings}
</article>`;
  });
  return html`<section class="message-panel" id="${anchor}" tabindex="-1" aria-labelledby="${anchor}-title">
<h4 id="${anchor}-title">Message ${number} of ${total}: ${withJapanese(messageName(message.jobName))}, ${from} → ${message.to}</h4>
<dl class="meta">
<div><dt>queue</dt><dd><code>${message.queue}</code>, job <code>${message.jobId}</code></dd></div>
<div><dt>${message.timeKind === 'refused' ? 'refused' : 'sent'}</dt><dd>${japanTime(message.sentAt)}</dd></div>
<div><dt>outcome</dt><dd class="${message.refused ? 'bad' : 'ok'}">${message.outcome}</dd></div>
<div><dt>token</dt><dd><code>${message.token}</code> (${message.tokenLength} characters)</dd></div>
</dl>
<div class="anyone" data-party="anyone"><h5>What anyone holding the token reads <span class="party-name">(an eavesdropper on Redis too: no key needed)</span></h5>${anyone}</div>
<h5 class="views-title">What each party could open with its own key</h5>
<div class="views">${cards}</div>
<p><a href="#${diagramAnchor}">Back to the diagram of ${scenarioTitle}</a></p>
</section>`;
}
