import { formatAgo, plural } from '../../../server/format';
import { describeSyncFailure, nextPollAt, pollDue, readingLine, type SyncState } from '../../../server/campaigns/tracking/sync-outcome';
import { buildAlerts, openingHoursBetween, type AlertInput } from '../../../server/home/alerts';
import { reservedFor } from '../../../server/auth/policies';
import { errorPage } from '../../../server/http/error-pages';
import { CONFIRM } from '../../../server/http/confirm';

const at = (s: string) => new Date(s);

describe('the one plural helper', () => {
  it.each([
    [0, 'site', undefined, '0 site'],
    [1, 'site', undefined, '1 site'],
    [3, 'site', undefined, '3 sites'],
    [1200, 'réponse', undefined, '1\u202f200 réponses'],
    [2, 'bureau', 'bureaux', '2 bureaux'],
    [1, 'bureau', 'bureaux', '1 bureau'],
  ])('plural(%p, %p, %p) = %p', (n, one, many, out) => expect(plural(n, one, many)).toBe(out));

  it.each([
    ['2026-06-12T10:00:00Z', 'à l’instant'],
    ['2026-06-12T09:57:00Z', 'il y a 3 min'],
    ['2026-06-12T08:00:00Z', 'il y a 2 h'],
    ['2026-06-11T09:00:00Z', 'il y a 1 jour'],
    ['2026-06-08T09:00:00Z', 'il y a 4 jours'],
  ])('formatAgo(%p) = %p', (then, out) => expect(formatAgo(at(then), at('2026-06-12T10:00:00Z'))).toBe(out));
});

describe('mailbox reading outcomes', () => {
  const base: SyncState = { syncOkAt: null, syncErrorAt: null, syncErrorMessage: null, syncFailures: 0, syncFailingSince: null, syncStoppedAt: null };

  it.each([
    [0, null, true],
    [1, '2026-06-12T09:59:00Z', false], // waits 2 min after the first failure
    [1, '2026-06-12T09:58:00Z', true],
    [3, '2026-06-12T09:53:00Z', false], // waits 8 min after the third
    [3, '2026-06-12T09:52:00Z', true],
    [30, '2026-06-12T04:00:01Z', false], // capped at 6 h
    [30, '2026-06-12T04:00:00Z', true],
  ])('when %p failures, the last at %p, then a poll at 10:00 is due: %p', (failures, errorAt, due) => {
    expect(pollDue({ syncFailures: failures, syncErrorAt: errorAt ? at(errorAt) : null }, at('2026-06-12T10:00:00Z'))).toBe(due);
  });

  it('when nothing failed, then there is no next poll time', () => {
    expect(nextPollAt({ syncFailures: 0, syncErrorAt: null })).toBeNull();
  });

  it('then the line says « Dernière lecture … », « Échec depuis … » or that reading stopped', () => {
    const now = at('2026-06-14T10:00:00Z');
    expect(readingLine(base, now)).toBeNull();
    expect(readingLine({ ...base, syncOkAt: at('2026-06-14T09:57:00Z') }, now)).toEqual({ ok: true, text: 'Dernière lecture de la boîte : il y a 3 min.' });
    expect(readingLine({ ...base, syncOkAt: at('2026-06-11T09:57:00Z'), syncFailures: 4, syncFailingSince: at('2026-06-12T08:00:00Z'), syncErrorMessage: 'connexion IMAP : authentification refusée' }, now))
      .toEqual({ ok: false, text: 'Échec depuis le 12/06 : connexion IMAP : authentification refusée (4 tentatives).' });
    const stopped = readingLine({ ...base, syncFailures: 9, syncFailingSince: at('2026-06-10T08:00:00Z'), syncStoppedAt: at('2026-06-13T08:00:00Z'), syncErrorMessage: 'x' }, now)!;
    expect(stopped.ok).toBe(false);
    expect(stopped.text).toContain('Lecture de la boîte arrêtée le 13/06 à 10:00');
    expect(stopped.text).toContain('testez la connexion');
  });

  it.each([
    ['connect', { authenticationFailed: true, responseText: 'Authentication failed.' }, 'connexion IMAP : authentification refusée : identifiant ou mot de passe incorrect.'],
    ['connect', { code: 'ECONNREFUSED' }, 'connexion IMAP : connexion refusée : vérifiez l’hôte et le port.'],
    ['read', new Error('Mailbox doesn’t exist: INBOX'), 'lecture de la boîte : Mailbox doesn’t exist: INBOX'],
  ] as const)('when the %s step fails with %p, then the record says %p', (step, err, out) => {
    expect(describeSyncFailure(step, err)).toBe(out);
  });
});

describe('home alerts', () => {
  it.each([
    // Friday 16:00 → Monday 10:00 Paris (CEST): 1 h Friday + 1.5 h Monday.
    ['2026-06-12T14:00:00Z', '2026-06-15T08:00:00Z', 2.5],
    // A night: none.
    ['2026-06-15T16:00:00Z', '2026-06-16T06:00:00Z', 0],
    // A whole working day: 8.5 h.
    ['2026-06-16T05:00:00Z', '2026-06-16T20:00:00Z', 8.5],
    // A week-end: none.
    ['2026-06-13T06:00:00Z', '2026-06-14T18:00:00Z', 0],
  ])('openingHoursBetween(%p, %p) = %p', (from, to, hours) => {
    expect(openingHoursBetween(at(from), at(to))).toBeCloseTo(hours, 5);
  });

  const empty: AlertInput = { kiosks: [], mailboxes: [], campaigns: [], programmes: [], lateCalls: 0, report: undefined, canManage: true };
  const now = at('2026-06-15T12:00:00Z'); // Monday 14:00 Paris

  it('when nothing waits, then there is no alert', () => {
    expect(buildAlerts(empty, now, 4)).toEqual([]);
  });

  it('when a kiosk was last seen Friday 16:00, then on Monday 14:00 it is silent (more than 4 opening hours); at 10:00 it is not', () => {
    const kiosk = { id: 'k', name: 'Hall – entrée', siteName: 'Accueil général', lastActivityAt: at('2026-06-12T14:00:00Z'), createdAt: at('2026-01-01T00:00:00Z'), queued: 0 };
    const alerts = buildAlerts({ ...empty, kiosks: [kiosk] }, now, 4);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].text).toContain('La borne « Hall – entrée » (Accueil général) ne donne plus signe de vie depuis le 12 juin 2026 (plus de 4 heures d’ouverture)');
    expect(buildAlerts({ ...empty, kiosks: [kiosk] }, at('2026-06-15T08:00:00Z'), 4)).toEqual([]);
  });

  it.each([
    // [last contact, created, now, setting, silent?]
    // Demo seeded Monday 09:00 Paris: the last answer was Friday 17:25, the heartbeat at seed time counts.
    ['2026-06-15T07:00:00Z', '2026-06-15T07:00:00Z', '2026-06-15T10:00:00Z', 4, false], // 3 opening hours later
    ['2026-06-15T07:00:00Z', '2026-06-15T07:00:00Z', '2026-06-15T11:00:00Z', 4, true], // 4 opening hours later
    // Without that heartbeat, Friday 17:25 (after closing) → Monday 13:00 Paris = 4.5 opening hours: silent.
    ['2026-06-12T15:25:00Z', '2026-06-15T07:00:00Z', '2026-06-15T11:00:00Z', 4, true],
    // Silence counts opening hours only: Friday 16:00 → Monday 09:30 is 2 h.
    ['2026-06-12T14:00:00Z', '2026-01-01T00:00:00Z', '2026-06-15T07:30:00Z', 4, false],
    // A night and a week-end do not count, even for a long silence in calendar hours.
    ['2026-06-12T15:00:00Z', '2026-01-01T00:00:00Z', '2026-06-14T20:00:00Z', 1, false],
    // The setting is honoured: 2 opening hours flags with KIOSK_SILENT_HOURS=2, not with 3.
    ['2026-06-16T07:00:00Z', '2026-01-01T00:00:00Z', '2026-06-16T09:00:00Z', 2, true],
    ['2026-06-16T07:00:00Z', '2026-01-01T00:00:00Z', '2026-06-16T09:00:00Z', 3, false],
    // Never seen: counted from its creation.
    [null, '2026-06-16T07:00:00Z', '2026-06-16T10:00:00Z', 4, false],
    [null, '2026-06-16T07:00:00Z', '2026-06-16T12:00:00Z', 4, true],
  ] as const)('when a kiosk was last seen %p (created %p), then at %p with a %p-hour setting it is silent: %p', (seen, created, when, hours, silent) => {
    const kiosk = { id: 'k', name: 'Hall', siteName: null, lastActivityAt: seen ? at(seen) : null, createdAt: at(created), queued: 0 };
    expect(buildAlerts({ ...empty, kiosks: [kiosk] }, at(when), hours).length).toBe(silent ? 1 : 0);
  });

  it('when a kiosk holds a queue, then it is said with the count', () => {
    const kiosk = { id: 'k', name: 'Point numérique', siteName: null, lastActivityAt: now, createdAt: now, queued: 1 };
    expect(buildAlerts({ ...empty, kiosks: [kiosk] }, now, 4).map((a) => a.text)).toEqual(['La borne « Point numérique » garde 1 réponse en attente d’envoi : vérifiez sa connexion au réseau.']);
  });

  it('when a mailbox fails, a programme waits, calls are late and a report is ready, then each is listed with its link', () => {
    const alerts = buildAlerts({
      ...empty,
      mailboxes: [{ id: 'm', displayName: 'Camille', address: 'camille@example.test', syncOkAt: null, syncErrorAt: now, syncErrorMessage: 'connexion IMAP : authentification refusée', syncFailures: 2, syncFailingSince: at('2026-06-12T08:00:00Z'), syncStoppedAt: null }],
      campaigns: [{ id: 'c', name: 'Printemps', periodEnd: '2026-06-10', unmatched: 2 }],
      programmes: [{ id: 'p', name: 'Croisée 2026', awaitingAcceptance: true, needsNumbers: true, needsEvaluators: false }, { id: 'q', name: 'Autre', awaitingAcceptance: false, needsNumbers: true, needsEvaluators: true }],
      lateCalls: 3,
      report: { id: 'r', title: 'Bilan du printemps', periodEnd: '2026-05-31' },
    }, now, 4);
    expect(alerts.map((a) => [a.level, a.text, a.href])).toEqual([
      ['error', 'Boîte mystère camille@example.test : Échec depuis le 12/06 : connexion IMAP : authentification refusée (2 tentatives).', '/boites-mysteres/m'],
      ['info', 'La période de la campagne « Printemps » est terminée depuis le 10/06. 2 messages reçus ne sont pas rattachés : rattachez-les avant de clore. Clore la campagne fige ses chiffres.', '/campagnes-courriel/c'],
      ['warning', 'Le programme d’appels mystères « Croisée 2026 » attend l’accord de votre organisation.', '/enquetes-telephoniques/p'],
      ['warning', 'Programme « Autre » : indiquez les numéros que les autres préfectures doivent appeler.', '/enquetes-telephoniques/q/numeros'],
      ['warning', 'Programme « Autre » : désignez les évaluateurs de votre organisation.', '/enquetes-telephoniques/q/evaluateurs'],
      ['warning', '3 appels mystères prévus sont en retard (prévus depuis plus d’un jour, grille non envoyée).', '/enquetes-telephoniques'],
      ['info', 'Le bilan « Bilan du printemps » (période close le 31/05) est prêt à imprimer.', '/rapports/r'],
    ]);
  });
});

describe('words of refusals, errors and confirmations', () => {
  it.each([
    [['referent'], 'Accès réservé aux référents qualité.'],
    [['referent', 'viewer'], 'Accès réservé aux référents qualité et aux lecteurs.'],
    [['admin'], 'Accès réservé aux administrateurs de la plateforme.'],
  ] as const)('reservedFor(%p) = %p', (roles, out) => expect(reservedFor(roles)).toBe(out));

  it.each([400, 403, 404, 500, 502, 418])('when the status is %p, then the page has a French heading and hint and no code', (status) => {
    const p = errorPage(status);
    expect(p.heading).toMatch(/^[A-ZÀ-Ü][a-zà-ü’' ]+/);
    expect(`${p.heading} ${p.hint}`).not.toMatch(/\d{3}|not_found|forbidden|error/i);
  });

  it('then a confirmation names its object', () => {
    expect(CONFIRM.revokeKiosk('Hall – entrée')).toEqual({
      title: 'Révoquer la borne « Hall – entrée » ?',
      body: expect.stringContaining('Les réponses déjà reçues sont conservées ; la tablette ne pourra plus envoyer.'),
      confirmLabel: 'Révoquer la borne',
    });
    expect(CONFIRM.launchCampaign('Printemps', 'send').title).toBe('Lancer la campagne « Printemps » ?');
  });
});
