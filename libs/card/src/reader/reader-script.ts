/**
 * The reader's browser side, served at /card-reader/reader.js. It owns the card
 * picker and the PIN field: the PIN goes from this form to the reader's
 * /card-reader/sign and to the chip, never to the page that embeds the reader.
 * The embedding page supplies `challenge()` (what to sign) and `signed()` (what
 * to do with the signature); it never sees the PIN.
 */
export const READER_SCRIPT = String.raw`(function () {
  'use strict';

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function describe(card) {
    if (card.state === 'tampered') return card.cardId + ' (chip destroyed: unusable)';
    if (card.state === 'unreadable') return card.cardId + ' (unreadable)';
    var label = card.holder + ' (' + card.maskedMyNumber + ')';
    return card.state === 'locked' ? label + ' (locked)' : label;
  }

  async function listCards(select, status, button) {
    var previous = select.value;
    var response = await fetch('/card-reader/cards', { headers: { accept: 'application/json' } });
    var cards = response.ok ? await response.json() : [];
    select.replaceChildren();
    cards.forEach(function (card) {
      var option = el('option', { value: card.cardId }, describe(card));
      option.dataset.state = card.state;
      select.appendChild(option);
    });
    if (previous && cards.some(function (card) { return card.cardId === previous; })) select.value = previous;
    button.disabled = cards.length === 0;
    if (cards.length === 0) status.textContent = 'No card is in the reader. Start the demo (npm run demo) to make the demo citizens\u2019 cards.';
  }

  async function mount(root, options) {
    root.replaceChildren();
    root.appendChild(el('h2', { id: 'reader-title' }, 'Virtual card reader (demo)'));
    root.appendChild(el('p', { class: 'reader-note' },
      'Stands in for a card reader and the card in your wallet. Choose a card, then type its PIN for user authentication (利用者証明用電子証明書の暗証番号).'));
    var form = el('form', { id: 'reader-form', novalidate: '' });
    var select = el('select', { id: 'reader-card', name: 'card', required: '' });
    var pin = el('input', { id: 'reader-pin', name: 'pin', type: 'password', inputmode: 'numeric', autocomplete: 'off', maxlength: '4', pattern: '[0-9]{4}', required: '' });
    var button = el('button', { id: 'reader-submit', type: 'submit' }, 'Sign in with this card');
    var status = el('p', { id: 'reader-status', class: 'reader-status', role: 'status', 'aria-live': 'polite' });
    var cardField = el('div', { class: 'field' });
    cardField.append(el('label', { for: 'reader-card' }, 'Card'), select);
    var pinField = el('div', { class: 'field' });
    pinField.append(el('label', { for: 'reader-pin' }, 'PIN (暗証番号, 4 digits)'), pin);
    form.append(cardField, pinField, button);
    root.append(form, status);
    await listCards(select, status, button);

    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      status.classList.remove('error');
      if (!/^[0-9]{4}$/.test(pin.value)) {
        status.textContent = 'Enter the 4-digit PIN.';
        status.classList.add('error');
        return;
      }
      var entered = pin.value;
      pin.value = '';
      button.disabled = true;
      status.textContent = 'Reading the card\u2026';
      try {
        var challenge = await options.challenge();
        var response = await fetch('/card-reader/sign', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ cardId: select.value, pin: entered, toBeSigned: challenge.toBeSigned }),
        });
        entered = '';
        var body = await response.json().catch(function () { return {}; });
        if (!response.ok) {
          status.textContent = body.message || 'The card refused.';
          status.classList.add('error');
          status.dataset.reason = body.reason || 'error';
          await listCards(select, status, button);
          return;
        }
        status.textContent = 'The card signed the portal\u2019s challenge. Checking with the portal\u2026';
        status.dataset.reason = 'signed';
        await options.signed({ certificate: body.certificate, signature: body.signature }, challenge);
        status.textContent = '';
      } catch (error) {
        status.textContent = 'The card reader failed: ' + (error && error.message ? error.message : 'unknown error');
        status.classList.add('error');
      } finally {
        button.disabled = select.options.length === 0;
      }
    });
  }

  window.MynaCardReader = { mount: mount };
})();
`;
