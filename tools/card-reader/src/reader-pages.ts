import { html, JAPANESE_FONT_STYLESHEET_PATH, type SafeHtml } from '@myna/platform';
import type { SignInRequest } from './sign-in-request';

/** A card as the reader lists it: what its face shows, masked, and whether it can sign. */
export interface WalletCard {
  cardId: string;
  holder?: string;
  maskedMyNumber?: string;
  photo?: string;
  pinTriesLeft?: number;
  state: 'ready' | 'locked' | 'tampered' | 'unreadable';
}

const STATE: Record<WalletCard['state'], string> = {
  ready: 'Ready',
  locked: 'Locked after 3 wrong PINs (暗証番号ロック)',
  tampered: 'Destroyed after tampering',
  unreadable: 'Unreadable',
};

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Card reader</title><link rel="stylesheet" href="${JAPANESE_FONT_STYLESHEET_PATH}"><link rel="stylesheet" href="/assets/reader.css"></head>
<body><header><strong>Card reader</strong> <span lang="ja">(カードリーダー)</span> · the citizen's own device, not a service of the federation</header>
<main>${body}</main></body></html>
`.markup;
}

function cardLine(card: WalletCard): SafeHtml {
  return html`${card.photo ? html`<img src="${card.photo}" alt="">` : ''}
    <span><strong>${card.holder ?? card.cardId}</strong><br>
    <span class="muted">My Number ${card.maskedMyNumber ?? '—'} · ${STATE[card.state]}${card.state === 'ready' && card.pinTriesLeft !== undefined ? ` · ${card.pinTriesLeft} PIN tries left` : ''}</span></span>`;
}

/** The wallet: which cards are on this reader. */
export function walletPage(cards: readonly WalletCard[]): string {
  return page(
    'Cards',
    html`<h1>Cards on this reader</h1>
<p class="muted">The demo's simulated My Number Cards (マイナンバーカード). A service asks the reader to sign in; you choose the card and type its PIN here, never on the service's site.</p>
<ul class="cards" id="wallet">${cards.map((card) => html`<li class="card" data-card-id="${card.cardId}" data-state="${card.state}">${cardLine(card)}</li>`)}</ul>`,
  );
}

/** A service asks for a sign-in: choose a card, type its PIN. */
export function signInPage(request: SignInRequest, cards: readonly WalletCard[], csrf: string, problem?: { message: string; code: string; cardId?: string }): string {
  const service = new URL(request.returnTo).origin;
  const selected = problem?.cardId ?? cards.find((card) => card.state === 'ready')?.cardId;
  const choices = cards.map(
    (card) => html`<li class="card" data-card-id="${card.cardId}" data-state="${card.state}">
      <label><input type="radio" name="cardId" value="${card.cardId}"${card.state !== 'ready' ? html` disabled` : ''}${card.cardId === selected ? html` checked` : ''}>
      ${cardLine(card)}</label></li>`,
  );
  const cancel = `${request.returnTo}#error=${encodeURIComponent('Sign-in cancelled at the card reader.')}`;
  return page(
    'Sign in',
    html`<h1>Sign in to ${request.relyingParty}</h1>
<p class="asks"><strong>${request.relyingParty}</strong> at <code>${service}</code> asks your card to sign its one-time challenge.
It also receives the name and photo on your card, to show who is signed in; never your My Number.</p>
${problem ? html`<p class="error" role="alert" id="reader-error" data-code="${problem.code}">${problem.message}</p>` : ''}
<form method="post" action="/sign-in">
  <input type="hidden" name="csrf" value="${csrf}">
  <input type="hidden" name="rp" value="${request.relyingParty}">
  <input type="hidden" name="challenge" value="${request.challengeId}">
  <input type="hidden" name="toBeSigned" value="${request.toBeSigned}">
  <input type="hidden" name="return" value="${request.returnTo}">
  <fieldset><legend>Your card</legend><ul class="cards">${choices}</ul></fieldset>
  <label class="pin">PIN (暗証番号, 4 digits)
    <input type="password" name="pin" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off" required autofocus></label>
  <button type="submit">Sign</button> <a href="${cancel}">Cancel</a>
</form>`,
  );
}

/** A sign-in link the reader will not follow. */
export function refusedPage(message: string): string {
  return page('Refused', html`<h1>The card reader refused this request</h1><p class="error" role="alert">${message}</p>`);
}
