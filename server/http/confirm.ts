/**
 * « Ask before destroying »: every irreversible or costly action (revoke, new link, launch,
 * close, delete, publish, withdraw) names its object and asks first.
 * - With JavaScript, the button's form carries the question (data-confirm-*) and
 *   public/js/confirm.js opens one DSFR modal; confirming posts the form with `confirme=1`.
 * - Without JavaScript, the form posts without `confirme`: confirmFirst() answers with a
 *   confirmation page (200) holding the same question and a form that posts with `confirme=1`.
 * The texts come from one catalogue (below) used by both the page's view model and the route.
 */
import type { NextFunction, Request, Response } from 'express';

export interface Confirmation {
  title: string;
  body: string;
  /** The confirming button's label (« Révoquer la borne »). */
  confirmLabel: string;
  /** Where « Annuler » goes back to. */
  cancelHref: string;
}

/** The question of an action on a named object; the object's name is quoted, never trusted as HTML. */
export const CONFIRM = {
  revokeKiosk: (name: string): Omit<Confirmation, 'cancelHref'> => ({
    title: `Révoquer la borne « ${name} » ?`,
    body: 'Les réponses déjà reçues sont conservées ; la tablette ne pourra plus envoyer. Une borne révoquée ne peut pas être remise en service.',
    confirmLabel: 'Révoquer la borne',
  }),
  newKioskLink: (name: string) => ({
    title: `Créer un nouveau lien pour la borne « ${name} » ?`,
    body: 'L’ancien lien cessera de fonctionner : la tablette devra être ouverte avec le nouveau lien. Les réponses déjà reçues sont conservées.',
    confirmLabel: 'Créer un nouveau lien',
  }),
  launchCampaign: (name: string, mode: 'send' | 'analyse') => ({
    title: `Lancer la campagne « ${name} » ?`,
    body: mode === 'send'
      ? 'La connexion à la boîte mystère est testée d’abord. Les messages mystères seront ensuite planifiés et partiront aux heures prévues ; un message parti ne peut pas être rappelé.'
      : 'La connexion à la boîte mystère est testée d’abord. Le dossier des messages envoyés sera ensuite lu sur la période de la campagne.',
    confirmLabel: 'Lancer la campagne',
  }),
  closeCampaign: (name: string) => ({
    title: `Clore la campagne « ${name} » ?`,
    body: 'Les messages encore prévus ne partiront pas et la boîte ne sera plus lue. Une campagne close ne peut pas être relancée.',
    confirmLabel: 'Clore la campagne',
  }),
  deleteCampaign: (name: string) => ({
    title: `Supprimer la campagne « ${name} » ?`,
    body: 'La campagne en préparation et sa banque de questions seront supprimées définitivement.',
    confirmLabel: 'Supprimer la campagne',
  }),
  deleteNamed: (what: string, name: string) => ({
    title: `Supprimer ${what} « ${name} » ?`,
    body: 'La suppression est définitive.',
    confirmLabel: 'Supprimer',
  }),
  deleteSite: (name: string) => ({
    title: `Supprimer le site « ${name} » ?`,
    body: 'Le site disparaît des listes et des bornes à venir ; les réponses déjà reçues sont conservées. La suppression est définitive.',
    confirmLabel: 'Supprimer le site',
  }),
  deleteService: (name: string) => ({
    title: `Supprimer le service « ${name} » ?`,
    body: 'Le service ne pourra plus être choisi dans les campagnes ni les enquêtes téléphoniques ; les résultats passés gardent son nom. La suppression est définitive.',
    confirmLabel: 'Supprimer le service',
  }),
  deleteMailbox: (address: string) => ({
    title: `Supprimer la boîte mystère « ${address} » ?`,
    body: 'Ses réglages et ses mots de passe seront effacés de Qualimètre (la boîte elle-même reste chez son hébergeur). La suppression est définitive.',
    confirmLabel: 'Supprimer la boîte',
  }),
  deletePhoneNumber: (label: string) => ({
    title: `Supprimer le numéro « ${label} » ?`,
    body: 'Les autres préfectures ne l’appelleront plus dans cette enquête. La suppression est définitive.',
    confirmLabel: 'Supprimer le numéro',
  }),
  deleteScenario: (question: string) => ({
    title: `Supprimer le scénario « ${question.length > 80 ? `${question.slice(0, 79)}…` : question} » ?`,
    body: 'Le scénario ne sera plus proposé aux évaluateurs. La suppression est définitive.',
    confirmLabel: 'Supprimer le scénario',
  }),
  deleteReport: (name: string) => ({
    title: `Supprimer le bilan « ${name} » ?`,
    body: 'Ses réglages, commentaires et améliorations seront supprimés définitivement ; les données mesurées restent.',
    confirmLabel: 'Supprimer le bilan',
  }),
  submitGrid: (label: string) => ({
    title: `Envoyer la grille de l’appel « ${label} » ?`,
    body: 'Une grille envoyée est verrouillée : seul le référent de votre organisation pourra la rouvrir.',
    confirmLabel: 'Envoyer la grille',
  }),
  publishReport: (name: string) => ({
    title: `Publier le bilan « ${name} » ?`,
    body: 'Le bilan sera lisible par toute personne disposant de son adresse publique, sans connexion.',
    confirmLabel: 'Publier le bilan',
  }),
  withdrawReport: (name: string) => ({
    title: `Retirer la publication du bilan « ${name} » ?`,
    body: 'L’adresse publique cessera de fonctionner ; les personnes qui l’ont gardée ne pourront plus le lire.',
    confirmLabel: 'Retirer la publication',
  }),
};

/** True when the form says its user confirmed (the modal or the confirmation page). */
export function confirmed(req: Request): boolean {
  const b = req.body as Record<string, unknown> | undefined;
  return !!b && typeof b === 'object' && b.confirme === '1';
}

/**
 * Route guard: without `confirme=1`, answer with the confirmation page. `describe` loads the
 * object through its organisation-scoped store (another organisation's object is a 404 here
 * as everywhere).
 */
export function confirmFirst(describe: (req: Request) => Promise<Confirmation>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (confirmed(req)) return next();
    const c = await describe(req);
    const hidden = Object.entries((req.body ?? {}) as Record<string, unknown>)
      .filter(([k, v]) => k !== '_csrf' && k !== 'confirme' && typeof v === 'string')
      .map(([name, value]) => ({ name, value: value as string }));
    res.render('confirm', { title: c.title, confirm: c, action: req.originalUrl, hidden });
  };
}
