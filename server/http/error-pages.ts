/**
 * What an error page says, in plain French, by HTTP status: a heading, a hint of what to do,
 * and the way back. Never a code (the code stays in JSON answers, for programs).
 */
export interface ErrorPage {
  heading: string;
  hint: string;
}

const PAGES: Record<number, ErrorPage> = {
  400: { heading: 'Demande incorrecte', hint: 'L’adresse ou le formulaire envoyé n’est pas valide. Vérifiez l’adresse ou revenez à la page précédente.' },
  401: { heading: 'Connexion nécessaire', hint: 'Connectez-vous pour accéder à cette page.' },
  403: { heading: 'Accès réservé', hint: 'Votre compte ne permet pas cette action. Si vous en avez besoin, demandez-la au référent qualité de votre organisation.' },
  404: { heading: 'Page introuvable', hint: 'La page ou l’élément demandé n’existe pas, a été supprimé, ou ne fait pas partie de votre organisation.' },
  409: { heading: 'Action impossible pour le moment', hint: 'L’élément a changé entre-temps. Rechargez la page et recommencez.' },
  413: { heading: 'Contenu trop volumineux', hint: 'Réduisez la taille de ce que vous envoyez, puis recommencez.' },
  422: { heading: 'Action impossible', hint: 'Revenez à la page précédente pour corriger.' },
  429: { heading: 'Trop de tentatives', hint: 'Patientez quelques minutes avant de recommencer.' },
};

const SERVER: ErrorPage = { heading: 'Le service a rencontré un problème', hint: 'Réessayez dans quelques minutes. Si le problème persiste, prévenez l’administrateur de la plateforme en indiquant l’heure et la page.' };

export function errorPage(status: number): ErrorPage {
  return PAGES[status] ?? (status >= 500 ? SERVER : { heading: 'Action impossible', hint: 'Revenez à la page précédente.' });
}
