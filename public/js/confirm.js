/*
 * « Ask before destroying », with JavaScript: a form carrying data-confirm-title opens the
 * page's DSFR modal instead of posting; « confirm » posts it with confirme=1. Without this
 * script (or before the DSFR is ready) the form posts as is and the server shows a
 * confirmation page, so nothing is ever done on one click.
 */
(function () {
  'use strict';
  var modal = document.getElementById('qm-confirm');
  if (!modal) return;
  var pending = null;
  function dsfrModal() {
    return window.dsfr && window.dsfr(modal) && window.dsfr(modal).modal;
  }
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm-title')) return;
    if (form.querySelector('input[name="confirme"]')) return;
    var m = dsfrModal();
    if (!m) return; // no DSFR yet: the server's confirmation page asks instead
    e.preventDefault();
    pending = form;
    document.getElementById('qm-confirm-title').textContent = form.getAttribute('data-confirm-title');
    document.getElementById('qm-confirm-body').textContent = form.getAttribute('data-confirm-body') || '';
    document.getElementById('qm-confirm-ok').textContent = form.getAttribute('data-confirm-label') || 'Confirmer';
    m.disclose();
  });
  document.getElementById('qm-confirm-ok').addEventListener('click', function () {
    if (!pending) return;
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'confirme';
    input.value = '1';
    pending.appendChild(input);
    var form = pending;
    pending = null;
    form.submit();
  });
})();
