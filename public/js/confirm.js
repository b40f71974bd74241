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
  var pendingAction = null;
  function dsfrModal() {
    return window.dsfr && window.dsfr(modal) && window.dsfr(modal).modal;
  }
  function fill(title, body, label) {
    document.getElementById('qm-confirm-title').textContent = title;
    document.getElementById('qm-confirm-body').textContent = body || '';
    document.getElementById('qm-confirm-ok').textContent = label || 'Confirmer';
  }
  /*
   * For actions that are not a form post (the phone grid, sent as JSON): asks in the modal and
   * runs onConfirm on « confirm ». Returns false when the modal is not ready (the caller asks
   * another way).
   */
  window.qmConfirm = function (question, onConfirm) {
    var m = dsfrModal();
    if (!m) return false;
    pending = null;
    pendingAction = onConfirm;
    fill(question.title, question.body, question.confirmLabel);
    m.disclose();
    return true;
  };
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm-title')) return;
    if (form.querySelector('input[name="confirme"]')) return;
    var m = dsfrModal();
    if (!m) return; // no DSFR yet: the server's confirmation page asks instead
    e.preventDefault();
    pending = form;
    pendingAction = null;
    fill(form.getAttribute('data-confirm-title'), form.getAttribute('data-confirm-body'), form.getAttribute('data-confirm-label'));
    m.disclose();
  });
  document.getElementById('qm-confirm-ok').addEventListener('click', function () {
    if (pendingAction) {
      var action = pendingAction;
      pendingAction = null;
      var m = dsfrModal();
      if (m) m.conceal();
      action();
      return;
    }
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
