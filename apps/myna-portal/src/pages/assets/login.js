// The sign-in page's script: completes a sign-in the card reader brought back, posting what
// the chip signed (from the URL fragment) with this browser's sign-in cookie.
(function () {
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
