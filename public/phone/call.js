/*
 * The evaluator's call screen (no inline script: the CSP is script-src 'self').
 * - Timer of an attempt: started when dialling, stopped at pick-up (or when the evaluator
 *   hangs up, or automatically at the programme's waiting limit); it fills the waiting time
 *   of the attempt form, and counts rings on request. Without JavaScript the form still works.
 * - The grid: SurveyJS renders surveys/mystere-telephone.json from the JSON block
 *   #qm-grid-data; « Enregistrer le brouillon » and « Envoyer la grille » post the answers as
 *   JSON to the server, which validates them.
 */
(function () {
  'use strict';

  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function clock(s) { return Math.floor(s / 60) + ':' + pad(s % 60); }

  function setupTimer(form) {
    var box = document.getElementById('qm-timer');
    var display = document.getElementById('qm-timer-display');
    var start = document.getElementById('qm-timer-start');
    var stop = document.getElementById('qm-timer-stop');
    var ring = document.getElementById('qm-ring');
    var status = document.getElementById('qm-timer-status');
    var wait = form.elements.namedItem('waitSeconds');
    var rings = form.elements.namedItem('rings');
    var limit = Number(form.getAttribute('data-wait-limit')) || 300;
    var hangUp = document.createElement('button');
    hangUp.type = 'button';
    hangUp.className = 'fr-btn fr-btn--secondary';
    hangUp.textContent = 'Raccroché sans réponse';
    hangUp.disabled = true;
    stop.parentNode.insertBefore(hangUp, ring);
    var t0 = 0;
    var timer = null;
    box.hidden = false;

    function elapsed() { return Math.round((Date.now() - t0) / 1000); }
    function choose(outcome) {
      var radio = form.querySelector('input[name="outcome"][value="' + outcome + '"]');
      if (radio) radio.checked = true;
    }
    function halt(message, outcome) {
      if (timer === null) return;
      clearInterval(timer);
      timer = null;
      var s = elapsed();
      display.textContent = clock(s);
      wait.value = String(s);
      start.disabled = false;
      start.textContent = 'Recommencer le chronomètre';
      stop.disabled = true;
      hangUp.disabled = true;
      if (outcome) choose(outcome);
      status.textContent = message.replace('{s}', String(s));
    }
    start.addEventListener('click', function () {
      t0 = Date.now();
      display.textContent = clock(0);
      rings.value = '';
      start.disabled = true;
      stop.disabled = false;
      hangUp.disabled = false;
      status.textContent = 'Chronomètre démarré : composez le numéro.';
      timer = setInterval(function () {
        var s = elapsed();
        display.textContent = clock(s);
        if (s >= limit) halt('Attente maximale atteinte ({s} s) : raccrochez et notez la tentative.', 'sonne_dans_le_vide');
      }, 250);
    });
    stop.addEventListener('click', function () { halt('Décroché après {s} secondes. Notez la tentative.', 'personne'); });
    hangUp.addEventListener('click', function () { halt('Arrêté après {s} secondes : indiquez ce qui s’est passé.', null); });
    ring.addEventListener('click', function () {
      rings.value = String((Number(rings.value) || 0) + 1);
      status.textContent = rings.value + ' sonnerie(s).';
    });
  }

  function errorText(body) {
    var e = body && body.error;
    return e && e.message ? e.message : 'Une erreur est survenue. Réessayez.';
  }

  function setupGrid(cfg) {
    var Survey = window.Survey;
    var SurveyUI = window.SurveyUI;
    var status = document.getElementById('qm-grid-status');
    var draft = document.getElementById('qm-grid-draft');
    var model = new Survey.Model(cfg.survey);
    model.locale = 'fr';
    // The page already says what the grid is.
    model.showTitle = false;
    model.data = cfg.data || {};

    function send(action) {
      var body = { action: action, answers: model.data };
      // A sent grid is locked: the server refuses a submission that was not confirmed.
      if (action === 'submit') body.confirme = '1';
      return fetch(cfg.saveUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'x-csrf-token': cfg.csrf },
        body: JSON.stringify(body),
      }).then(function (res) {
        return res.json().then(function (body) { return { ok: res.ok, body: body }; });
      });
    }

    draft.hidden = false;
    draft.addEventListener('click', function () {
      status.textContent = 'Enregistrement du brouillon…';
      send('draft').then(function (r) {
        status.textContent = r.ok ? 'Brouillon enregistré à ' + r.body.savedAt + '.' : errorText(r.body);
      }, function () { status.textContent = 'Enregistrement impossible : vérifiez la connexion et réessayez.'; });
    });

    var sent = false;
    function submit() {
      status.textContent = 'Envoi de la grille…';
      send('submit').then(function (r) {
        if (!r.ok) { status.textContent = errorText(r.body); return; }
        sent = true;
        window.location.assign(r.body.redirect || cfg.doneUrl);
      }, function () { status.textContent = 'Envoi impossible : vérifiez la connexion et réessayez.'; });
    }
    model.onCompleting.add(function (_sender, options) {
      if (sent) return;
      options.allow = false;
      // Asked first, naming the call (the page's DSFR modal; the browser's own dialog before the DSFR is ready).
      var q = cfg.confirm;
      if (window.qmConfirm && window.qmConfirm(q, submit)) return;
      if (window.confirm(q.title + '\n\n' + q.body)) submit();
    });
    SurveyUI.renderSurvey(model, document.getElementById('qm-grid'));
  }

  var form = document.getElementById('qm-attempt');
  if (form) setupTimer(form);
  var data = document.getElementById('qm-grid-data');
  if (data && window.Survey && window.SurveyUI) setupGrid(JSON.parse(data.textContent));
})();
