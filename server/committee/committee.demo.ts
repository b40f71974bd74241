/**
 * Demo data of the action plan and the committee (Haute-Savoie, 2019, after the seed's
 * minutes): corrective actions named in the minutes, a steering-committee review of
 * 5 September 2019, and the comité local des usagers of 9 September 2019 with its participants,
 * agenda and the suggestions collected. Open /comites and /plan-actions.
 */
import type { Deps } from '../deps';
import { createAction, recordReview } from '../actions/action.service';
import type { ActionForm } from '../actions/action.schemas';
import { addSuggestion, createMeeting } from './meeting.service';
import { meetingSchema } from './meeting.schemas';

const ACTIONS: ActionForm[] = [
  { title: 'Note de service aux directeurs sur le renvoi d’appels et tableau mensuel des appels perdus par bureau', origin: 'indicateur', originNote: 'taux d’appels aboutis', complaintId: null, serviceId: null, dueOn: '2018-11-30', status: 'realisee', comment: 'Note du 5 novembre 2018', doneOn: '2018-11-05' },
  { title: 'Restructurer le serveur vocal interactif', origin: 'enquete', originNote: 'accueil téléphonique 53 %', complaintId: null, serviceId: null, dueOn: '2019-06-30', status: 'realisee', comment: 'SVI restructuré au printemps 2019', doneOn: '2019-04-15' },
  { title: 'Installer le point numérique dans un espace fermé', origin: 'enquete', originNote: 'confidentialité au point numérique', complaintId: null, serviceId: null, dueOn: '2019-06-30', status: 'realisee', comment: '', doneOn: '2019-05-20' },
  { title: 'Permanence téléphonique du service des étrangers', origin: 'campagne', originNote: 'enquête mystère téléphonique croisée de juin 2019 : renvoi systématique vers un répondeur', complaintId: null, serviceId: null, dueOn: '2019-08-31', status: 'en_cours', comment: '', doneOn: null },
  { title: 'Suivi resserré des courriels au bureau de l’accueil et du séjour des étrangers', origin: 'indicateur', originNote: 'réponses aux courriels sous 5 jours ouvrés', complaintId: null, serviceId: null, dueOn: '2019-12-31', status: 'a_faire', comment: '', doneOn: null },
];

const SUGGESTIONS = [
  'Nécessité de maintenir ou développer des points numériques dans les mois qui viennent (pour accompagner les réformes et les usagers en difficulté avec le numérique).',
  'Ajouter sur le site internet des services de l’État un lien vers le site de toutes les mairies du département équipées d’un dispositif de recueil pour les CNI/Passeport.',
  'Vigilance sur les usagers, en difficulté pour obtenir un rendez-vous, qui se retrouvent avec un titre de séjour expiré.',
];

export async function seedCommitteeDemo(deps: Pick<Deps, 'db' | 'clock'>, orgId: string): Promise<void> {
  for (const a of ACTIONS) await createAction(deps, orgId, null, a);
  await recordReview(deps, orgId, null, { reviewedOn: '2019-09-05', note: 'Comité de pilotage : bilan annuel intermédiaire présenté.' });
  const meeting = await createMeeting(deps, orgId, null, meetingSchema.parse({
    heldOn: '2019-09-09', kind: 'clu', periodStart: '2019-01-01', periodEnd: '2019-07-31',
    administration: 'Mme Gouache, secrétaire générale\nMme Brat, directrice des ressources humaines et du budget\nM. Canizares, adjoint au directeur de la citoyenneté et de l’immigration\nMme Pérez, chef du pôle « accueil téléphonique »\nMme Marcinkowski, référent Qualité\nM. Boix-Neveu, référent Qualité',
    usagers: 'M. Alain Bochet – UFC Que choisir\nM. André Touvet – UDAF',
    collectivites: 'Mme Lauriane Mounier-Faraut – Association des maires',
    defenseur: 'M. Michel Poingt – Délégué du défenseur des droits',
    agenda: 'Présentation de la démarche\nPrésentation de nos résultats\nRecueil des suggestions des représentants des usagers\nVisite des locaux',
  }));
  for (const s of SUGGESTIONS) await addSuggestion(deps, orgId, meeting.id, s);
}
