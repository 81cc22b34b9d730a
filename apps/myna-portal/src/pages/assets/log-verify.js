// The records page's "Verify" (DESIGN §5, "The log"), run in the citizen's browser:
// it checks the hub's Ed25519 signatures on the tree heads (WebCrypto), the
// record's leaf and its commitment, the inclusion proof against the newest signed
// tree head, and consistency proofs (RFC 9162 §2.1.3.2, §2.1.4.2) from the
// record's own tree head and from the head this browser last verified, which it
// keeps in localStorage. Nothing the portal sends is trusted before it is checked.
(function () {
  'use strict';
  var LAST_HEAD = 'myna-log-last-head';
  var LOG_ID = 'myna-exchange-hub-log';
  var encoder = new TextEncoder();

  function bytes(text) {
    var s = text.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var binary = atob(s);
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }
  function base64url(data) {
    var binary = '';
    for (var i = 0; i < data.length; i++) binary += String.fromCharCode(data[i]);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    var d = 0;
    for (var i = 0; i < a.length; i++) d |= a[i] ^ b[i];
    return d === 0;
  }
  async function sha256(parts) {
    var length = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var all = new Uint8Array(length);
    var at = 0;
    parts.forEach(function (p) { all.set(p, at); at += p.length; });
    return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  }
  function leafHash(leaf) { return sha256([Uint8Array.of(0), encoder.encode(leaf)]); }
  function nodeHash(left, right) { return sha256([Uint8Array.of(1), left, right]); }

  /** RFC 9162 §2.1.3.2 */
  async function verifyInclusion(hash, index, size, proof, root) {
    if (index >= size) return false;
    var fn = index, sn = size - 1, r = hash;
    for (var i = 0; i < proof.length; i++) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(proof[i], r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, proof[i]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(r, root);
  }

  /** RFC 9162 §2.1.4.2 */
  async function verifyConsistency(first, second, proof, firstRoot, secondRoot) {
    if (first > second) return false;
    if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
    if (proof.length === 0) return false;
    var path = (first & (first - 1)) === 0 ? [firstRoot].concat(proof) : proof.slice();
    var fn = first - 1, sn = second - 1;
    while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    var fr = path[0], sr = path[0];
    for (var i = 1; i < path.length; i++) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        fr = await nodeHash(path[i], fr);
        sr = await nodeHash(path[i], sr);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        sr = await nodeHash(sr, path[i]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
  }

  /** A tree head the hub signed: EdDSA (Ed25519) only, typ myna-tree-head, this log. */
  async function verifyHead(jws, key) {
    var parts = String(jws).split('.');
    if (parts.length !== 3) throw new Error('a tree head is not a JWS');
    var header = JSON.parse(new TextDecoder().decode(bytes(parts[0])));
    if (header.alg !== 'EdDSA' || header.typ !== 'myna-tree-head') throw new Error('a tree head names another algorithm or type');
    var signed = await crypto.subtle.verify({ name: 'Ed25519' }, key, bytes(parts[2]), encoder.encode(parts[0] + '.' + parts[1]));
    if (!signed) throw new Error('a tree head does not carry the hub’s signature');
    var head = JSON.parse(new TextDecoder().decode(bytes(parts[1])));
    if (head.log !== LOG_ID || !Number.isInteger(head.size) || head.size < 1) throw new Error('a tree head is not of the hub’s log');
    return { size: head.size, root: bytes(head.root), timestamp: head.timestamp, signed: jws };
  }

  async function verify(button) {
    var handle = button.getAttribute('data-verify');
    var last = null;
    try { last = JSON.parse(localStorage.getItem(LAST_HEAD) || 'null'); } catch { last = null; }
    var url = '/records/' + encodeURIComponent(handle) + '/log-proof' + (last && last.size ? '?since=' + last.size : '');
    var response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    var body = await response.json().catch(function () { return {}; });
    if (!response.ok) throw new Error(body.reason || 'the portal could not get a proof (' + response.status + ')');

    var key = await crypto.subtle.importKey('jwk', { kty: body.hubKey.kty, crv: body.hubKey.crv, x: body.hubKey.x }, { name: 'Ed25519' }, false, ['verify']);
    var latest = await verifyHead(body.latest, key);
    var own = await verifyHead(body.receipt.treeHead, key);

    var leaf = JSON.parse(body.receipt.leaf);
    var expected = { to: button.getAttribute('data-recipient'), requester: button.getAttribute('data-requester'), provider: button.getAttribute('data-provider'),
      rule: button.getAttribute('data-rule'), item: button.getAttribute('data-item'), status: button.getAttribute('data-status') };
    Object.keys(expected).forEach(function (field) {
      if (leaf[field] !== expected[field]) throw new Error('the hub’s log says ' + field + ' “' + leaf[field] + '”, this record says “' + expected[field] + '”');
    });
    var commitment = base64url(await sha256([encoder.encode('myna-log-commitment\u0000' + handle + '\u0000' + body.receipt.nonce)]));
    if (commitment !== leaf.commitment) throw new Error('the leaf in the hub’s log is not this record’s');

    var hash = await leafHash(body.receipt.leaf);
    var index = body.receipt.index;
    if (base64url(hash) !== body.storedLeafHash) throw new Error('the hub’s log no longer holds this record as it was logged: entry ' + (index + 1) + ' was changed or moved');
    if (own.size !== index + 1) throw new Error('the record’s own tree head is not the tree that ends with its entry');
    if (!(await verifyInclusion(hash, index, latest.size, body.inclusion.map(bytes), latest.root))) {
      throw new Error('the inclusion proof fails: this record’s leaf is not in the tree the hub signed');
    }
    if (!(await verifyConsistency(own.size, latest.size, body.fromReceipt.map(bytes), own.root, latest.root))) {
      throw new Error('the log was rewritten since this record was logged: the consistency proof fails');
    }
    var grew = 'This browser had not verified the log before; it keeps this tree head to compare next time.';
    if (last && last.size) {
      var previous = await verifyHead(last.signed, key);
      if (previous.size > latest.size) throw new Error('the log shrank since you last looked (' + previous.size + ' → ' + latest.size + ' entries)');
      if (!body.since || body.since.size !== previous.size) throw new Error('the portal gave no consistency proof from the tree head you last saw');
      if (!(await verifyConsistency(previous.size, latest.size, body.since.proof.map(bytes), previous.root, latest.root))) {
        throw new Error('the log was rewritten since you last looked: the consistency proof fails');
      }
      grew = 'The log only grew since you last looked (' + previous.size + ' → ' + latest.size + ' entries).';
    }
    localStorage.setItem(LAST_HEAD, JSON.stringify({ size: latest.size, signed: latest.signed }));
    return 'Verified in your browser: this record is entry ' + (index + 1) + ' of the hub’s log of ' + latest.size +
      ' entries, whose tree head the hub signed (' + new Date(latest.timestamp).toISOString().slice(0, 16).replace('T', ' ') + ' UTC). ' + grew;
  }

  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('button[data-verify]') : null;
    if (!button) return;
    var output = document.getElementById('verify-' + button.getAttribute('data-verify'));
    button.disabled = true;
    output.textContent = 'Checking the hub’s log…';
    output.removeAttribute('data-verified');
    verify(button).then(function (text) {
      output.textContent = '✓ ' + text;
      output.setAttribute('data-verified', 'true');
    }, function (error) {
      output.textContent = '✗ Not verified: ' + (error && error.message ? error.message : String(error));
      output.setAttribute('data-verified', 'false');
    }).then(function () { button.disabled = false; });
  });
})();
