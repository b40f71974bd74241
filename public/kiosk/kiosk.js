/*
 * The visitor's survey page (kiosk tablet or public link), driven by the JSON config that the
 * server puts in #qk-config (the CSP forbids inline scripts).
 *
 * - First screen: the overall question (3 smileys). One tap counts: « Terminer » stores it,
 *   « Continuer » opens the rest of the survey, rendered by SurveyJS.
 * - Every completed answer set gets a random UUID and goes into the IndexedDB queue FIRST,
 *   then is sent with retries (answer-queue.js).
 * - Kiosk mode: full screen on the first tap, reset after completion or inactivity, a
 *   heartbeat reports the queue length and learns the kiosk's status (paused, new version).
 * Nothing of one visitor's answers stays on screen for the next: every visitor gets a new
 * SurveyJS model and a fresh DOM.
 * Other kinds of forms (cfg.kind): `counting` (point numérique: one tap on a reason is one
 * visit, queued and sent like any answer set, so nothing is lost and nothing counted twice);
 * `complaint` (the hall's suggestion / complaint form: SurveyJS from its first page, sent only
 * when the visitor validates it, never on inactivity).
 */
(function () {
  'use strict';

  var cfg = JSON.parse(document.getElementById('qk-config').textContent);
  var Survey = window.Survey;
  var SurveyUI = window.SurveyUI;
  var isKiosk = cfg.mode === 'kiosk';
  var kind = cfg.kind || 'kiosk';
  var defaultLocale = cfg.locales[0].code;
  var $ = function (id) { return document.getElementById(id); };

  var Queue = window.QualimetreQueue.Queue;
  var uuid = window.QualimetreQueue.uuid;
  var Sender = window.QualimetreQueue.createSender({
    scope: cfg.queueScope,
    url: cfg.submitUrl,
    reportQueued: isKiosk,
    onLength: publishQueueLength,
    // The kiosk list shows answer sets the server refused: tell it now, not in a minute.
    onParked: function () { heartbeat(); },
  });

  function publishQueueLength(n) {
    document.documentElement.setAttribute('data-queued', String(n));
  }

  // --- Screens ------------------------------------------------------------------------------

  var locale = defaultLocale;
  var model = null;
  var state = 'start'; // start | survey | thanks | paused | disabled
  var finishing = false;
  var touched = false;
  var lastActivity = Date.now();
  var idleLeft = 0;
  var thanksTimer = null;
  var thanksShownAt = 0;
  var reloadWanted = false;
  var status = cfg.status;

  function lang() {
    return cfg.locales.find(function (l) { return l.code === locale; }) || cfg.locales[0];
  }
  function t(key) { return lang().strings[key]; }
  /** A text with a count: the language's plural category (« 1 seconde », « 5 secondes »). */
  function plural(key, n) {
    var forms = t(key);
    var cat = 'other';
    try { cat = new Intl.PluralRules(lang().code).select(n); } catch (e) { /* unknown locale: other */ }
    return (forms[cat] || forms.other).replace('{s}', String(n));
  }

  function newModel() {
    var m = new Survey.Model(cfg.survey.json);
    m.locale = locale;
    m.showCompletedPage = false;
    // No fade-ins: a question shown by a condition is readable at once (and contrast-checked).
    m.animationEnabled = false;
    // A hidden question's answer would be refused by the server: clear it as soon as it hides.
    m.clearInvisibleValues = 'onHidden';
    m.completeText = t('submit');
    // Our own bar moves on (always visible); the page shows no repeated survey title.
    m.showNavigationButtons = false;
    m.showTitle = false;
    m.showProgressBar = 'off';
    // The page scrolls, not a box inside it (SurveyJS 2's full-container scroller).
    m.fitToContainer = false;
    // Choices as large buttons, laid out by kiosk.css per width (a row where it fits, a list
    // where it does not): never SurveyJS's fixed columns, which overflow sideways.
    m.getAllQuestions().forEach(function (q) { if (q.getType() === 'radiogroup' || q.getType() === 'checkbox') q.colCount = 1; });
    m.onComplete.add(function () { finish('completed'); });
    m.onCurrentPageChanged.add(function (sender) {
      // Back to the first page: show our own first screen, with the choice made.
      if (kind === 'kiosk' && sender.currentPageNo === 0 && state === 'survey') { showStart(); return; }
      renderFooter();
      window.scrollTo(0, 0);
    });
    return m;
  }

  function overallQuestion() { return model.getQuestionByName(cfg.overallQuestion); }

  function renderStartTexts() {
    if (kind !== 'kiosk') return;
    var q = overallQuestion();
    $('qk-question').textContent = q.title;
    var items = q.rateValues && q.rateValues.length ? q.rateValues : q.choices || [];
    var value = model.getValue(cfg.overallQuestion);
    Array.prototype.forEach.call(document.querySelectorAll('.qk-smiley'), function (btn) {
      var item = items.find(function (it) { return it.value === btn.dataset.value; });
      if (item) btn.querySelector('.qk-smiley__label').textContent = item.text;
      btn.setAttribute('aria-pressed', value === btn.dataset.value ? 'true' : 'false');
    });
    $('qk-next').hidden = value == null;
    $('qk-prompt').textContent = t('finishPrompt');
    $('qk-finish').textContent = t('finish');
    $('qk-continue').textContent = t('continue');
  }

  function applyLocale(code) {
    locale = code;
    var l = lang();
    document.documentElement.lang = l.code;
    document.documentElement.dir = l.dir;
    if (model) {
      model.locale = code;
      model.completeText = t('submit');
      renderFooter();
    }
    $('qk-anonymous').textContent = t('anonymous');
    var nav = $('qk-langs');
    if (nav) nav.setAttribute('aria-label', t('language'));
    Array.prototype.forEach.call(document.querySelectorAll('.qk-lang'), function (b) {
      b.setAttribute('aria-pressed', b.dataset.locale === code ? 'true' : 'false');
    });
    renderStartTexts();
  }

  function unmountSurvey() {
    var host = $('qk-survey');
    if (host.firstChild) {
      try { SurveyUI.unmountComponentAtNode(host.firstChild); } catch (e) { /* already gone */ }
    }
    host.textContent = '';
    host.hidden = true;
  }

  /** « 2 / 4 » and the forward button (« Suivant », or « Valider » on the last page). */
  function renderFooter() {
    if (!model || state !== 'survey') return;
    var n = model.currentPageNo + 1;
    var total = model.visiblePageCount;
    $('qk-progress-text').textContent = n + ' / ' + total;
    $('qk-progress-label').textContent = t('progress').replace('{n}', String(n)).replace('{total}', String(total));
    $('qk-progress-fill').style.width = Math.round((n / total) * 100) + '%';
    $('qk-forward').textContent = model.isLastPage ? t('submit') : t('next');
    $('qk-prev').textContent = t('previous');
  }

  function forward() {
    if (state !== 'survey' || finishing) return;
    if (model.isLastPage) model.completeLastPage();
    else model.nextPage();
  }

  function show(which) {
    state = which;
    $('qk-start').hidden = which !== 'start';
    $('qk-survey').hidden = which !== 'survey';
    $('qk-footer').hidden = which !== 'survey';
    document.documentElement.setAttribute('data-screen', which);
    $('qk-thanks').hidden = which !== 'thanks';
    var nav = $('qk-langs');
    if (nav) nav.hidden = which === 'thanks';
  }

  function showStart() {
    if (kind === 'complaint') { showSurvey(); return; }
    unmountSurvey();
    show('start');
    renderStartTexts();
  }

  function showSurvey() {
    unmountSurvey();
    var host = $('qk-survey');
    var el = document.createElement('div');
    host.appendChild(el);
    if (kind === 'kiosk' && model.currentPageNo === 0) model.currentPageNo = 1;
    show('survey');
    SurveyUI.renderSurvey(model, el);
    renderFooter();
    window.scrollTo(0, 0);
  }

  /** A visitor is done (or walked away after answering the first question): queue, then send. */
  function finish(reason) {
    if (finishing) return;
    var data = model.data || {};
    // A complaint is sent only when validated (a half-written one is not a complaint); the
    // other kinds count as soon as their first question is answered.
    if (kind === 'complaint' ? reason !== 'completed' : data[cfg.overallQuestion] == null) { reset(); return; }
    finishing = true;
    var id = uuid();
    var entry = {
      id: id,
      scope: cfg.queueScope,
      createdAt: Date.now(),
      body: {
        id: id,
        survey: cfg.survey.id,
        version: cfg.survey.version,
        locale: locale,
        answers: data,
        completedAt: new Date().toISOString(),
      },
    };
    // Queue first: the answer set survives a reload, a crash or the network being down.
    Queue.put(entry).catch(function () { /* storage refused: the send below is the last chance */ }).then(function () {
      Sender.drain();
    });
    if (reason === 'timeout') { reset(); return; }
    unmountSurvey();
    $('qk-thanks-title').textContent = t('thanks');
    $('qk-thanks-detail').textContent = t('thanksDetail');
    show('thanks');
    thanksShownAt = Date.now();
    // A counter is tapped by one visitor after another: its thank-you goes quickly.
    if (isKiosk) thanksTimer = setTimeout(reset, (kind === 'counting' ? 2 : cfg.thanksSeconds || 6) * 1000);
  }

  function reset() {
    clearTimeout(thanksTimer);
    hideIdle();
    closeInformations();
    if (reloadWanted && reloadForNewVersion()) return;
    unmountSurvey();
    model = newModel();
    finishing = false;
    touched = false;
    applyLocale(defaultLocale);
    showStart();
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    window.scrollTo(0, 0);
    applyStatus(status);
  }

  // --- Inactivity (kiosk) ------------------------------------------------------------------

  function activity() {
    lastActivity = Date.now();
    touched = true;
  }

  function showIdle() {
    idleLeft = Math.min(10, Math.max(5, Math.round(cfg.inactivitySeconds / 4)));
    $('qk-idle-title').textContent = t('idleTitle');
    $('qk-idle-continue').textContent = t('idleContinue');
    $('qk-idle-text').textContent = plural('idleText', idleLeft);
    $('qk-idle').hidden = false;
    $('qk-idle-continue').focus();
  }
  function hideIdle() { $('qk-idle').hidden = true; }
  /** The next visitor must not find the legal texts (views/compliance/_survey-page-info.ejs) open. */
  function closeInformations() {
    var info = document.querySelector('details.qc-info');
    if (info) info.open = false;
  }

  function tick() {
    if (!isKiosk || state === 'thanks' || state === 'paused' || state === 'disabled') return;
    if (!$('qk-idle').hidden) {
      idleLeft--;
      $('qk-idle-text').textContent = plural('idleText', Math.max(0, idleLeft));
      if (idleLeft <= 0) { hideIdle(); finish('timeout'); }
      return;
    }
    if (!touched) return;
    if (Date.now() - lastActivity > cfg.inactivitySeconds * 1000) showIdle();
  }

  // --- Status and heartbeat (kiosk) ---------------------------------------------------------

  /**
   * Reloads to get the new page, at most once every 5 minutes: if the new page cannot be
   * fetched (the worker then serves the cached one), the tablet must not reload in a loop.
   */
  function reloadForNewVersion() {
    var last = 0;
    try { last = Number(window.sessionStorage.getItem('qk-reloaded-at')) || 0; } catch (e) { /* storage refused */ }
    if (Date.now() - last < 5 * 60 * 1000) return false;
    try { window.sessionStorage.setItem('qk-reloaded-at', String(Date.now())); } catch (e) { /* storage refused */ }
    window.location.reload();
    return true;
  }

  function applyStatus(s) {
    status = s;
    var overlay = $('qk-paused');
    if (s === 'paused' || s === 'revoked') {
      $('qk-paused-text').textContent = s === 'paused' ? t('paused') : t('disabled');
      overlay.hidden = false;
      if (state !== 'thanks') state = s === 'paused' ? 'paused' : 'disabled';
    } else if (!overlay.hidden) {
      overlay.hidden = true;
      state = 'start';
      showStart();
    }
  }

  function heartbeat() {
    if (!cfg.heartbeatUrl) return;
    Promise.all([Queue.all(cfg.queueScope), Queue.parkedCount(cfg.queueScope)]).then(function (counts) {
      publishQueueLength(counts[0].length);
      document.documentElement.setAttribute('data-parked', String(counts[1]));
      return Sender.post(cfg.heartbeatUrl, { queued: counts[0].length, parked: counts[1] });
    }).then(function (r) {
      if (!r) return;
      if (r.status === 404) { applyStatus('revoked'); return; }
      if (r.status !== 200) return;
      return r.res.json().then(function (info) {
        if (info.status && info.status !== status) applyStatus(info.status);
        if (info.pageVersion && info.pageVersion !== cfg.pageVersion) {
          reloadWanted = true;
          if (state === 'start' && !touched) reloadForNewVersion();
        }
      });
    }).catch(function () { /* offline: next time */ });
  }

  // --- Wiring -------------------------------------------------------------------------------

  Array.prototype.forEach.call(document.querySelectorAll('.qk-smiley'), function (btn) {
    btn.addEventListener('click', function () {
      model.setValue(cfg.overallQuestion, btn.dataset.value);
      renderStartTexts();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('.qk-reason'), function (btn) {
    btn.addEventListener('click', function () {
      if (state !== 'start' || finishing) return;
      model.setValue(cfg.overallQuestion, btn.dataset.value);
      finish('counted');
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('.qk-lang'), function (btn) {
    btn.addEventListener('click', function () { applyLocale(btn.dataset.locale); });
  });
  if ($('qk-finish')) $('qk-finish').addEventListener('click', function () { finish('early'); });
  if ($('qk-continue')) $('qk-continue').addEventListener('click', showSurvey);
  $('qk-forward').addEventListener('click', forward);
  $('qk-prev').addEventListener('click', function () { if (state === 'survey' && !finishing) model.prevPage(); });
  $('qk-idle-continue').addEventListener('click', function () { hideIdle(); activity(); });
  // The next visitor need not wait for the thank-you screen to go: a tap starts again
  // (not the second tap of a double tap on « Valider »).
  $('qk-thanks').addEventListener('click', function () {
    if (isKiosk && state === 'thanks' && Date.now() - thanksShownAt > 1000) reset();
  });

  ['pointerdown', 'keydown', 'input'].forEach(function (type) {
    document.addEventListener(type, activity, true);
  });

  if (isKiosk) {
    // Full screen needs a user gesture: the first tap.
    document.addEventListener('pointerdown', function () {
      var el = document.documentElement;
      if (!document.fullscreenElement && el.requestFullscreen) el.requestFullscreen().catch(function () { /* refused */ });
    }, true);
    setInterval(tick, 1000);
    setInterval(heartbeat, 60 * 1000);
    setTimeout(heartbeat, 2000);
    if (cfg.serviceWorker && 'serviceWorker' in navigator) {
      // Ask for an update at once: a page of a new version gets its new worker (and cache)
      // without waiting for the browser's own check.
      navigator.serviceWorker.register(cfg.serviceWorker.url, { scope: cfg.serviceWorker.scope })
        .then(function (reg) { return reg.update(); })
        .catch(function () { /* offline or refused: the worker already installed keeps serving */ });
    }
  }
  // Answers queued by an earlier page (or before a reload) are sent now.
  setInterval(function () { Sender.drain(); }, 5 * 60 * 1000);

  model = newModel();
  applyLocale(defaultLocale);
  showStart();
  applyStatus(status);
  Sender.drain();
  document.documentElement.setAttribute('data-ready', 'true');
})();
