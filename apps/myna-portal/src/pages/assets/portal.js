// The pages' script: while an agency's answer is pending, look again shortly.
(function () {
  'use strict';
  if (document.querySelector('[data-pending]')) setTimeout(function () { window.location.reload(); }, 1500);
})();
