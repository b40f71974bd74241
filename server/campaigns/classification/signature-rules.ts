/**
 * The words of French administrative signatures, as data (signature.ts compiles them). Add a
 * line here, with a case in test/unit/campaigns/signature-rules.test.ts, rather than a branch
 * in the code. Regular-expression fragments, matched case-insensitively.
 */

/**
 * Function titles (« qualité »), masculine and feminine forms. A title may be followed by its
 * complement, including an elided article: « Chargée d'accueil », « Chef d'équipe »,
 * « Attaché(e) d'administration », « Adjoint au chef du bureau… ». Written inclusive forms
 * « (e) », « (ve) », « (ne) », « ·e » are accepted after any title.
 */
export const FUNCTION_TITLES: readonly string[] = [
  'chef(?:fe)?', 'sous-chef(?:fe)?', 'adjoint(?:e)?', 'agent(?:e)?', 'gestionnaire', 'secr[ée]taire', 'directeur', 'directrice',
  'directeur\\s+adjoint', 'r[ée]f[ée]rent(?:e)?', 'charg[ée](?:e)?', 'responsable', 'attach[ée](?:e)?', 'instruct(?:eur|rice)',
  'r[ée]dact(?:eur|rice)', 'conseill(?:er|[èe]re)', 'assistant(?:e)?', 'sous-pr[ée]f[eè]te?', 'pr[ée]f[eè]te?',
  'd[ée]l[ée]gu[ée](?:e)?', 'coordinat(?:eur|rice)', 'coordonnat(?:eur|rice)', 'technicien(?:ne)?', 'standardiste', 'juriste',
  'inspect(?:eur|rice)', 'administrat(?:eur|rice)', 'contr[ôo]l(?:eur|euse)', 'greffi(?:er|[èe]re)', 'officier', 'op[ée]rat(?:eur|rice)',
  'animat(?:eur|rice)', 'm[ée]diat(?:eur|rice)', 'expert(?:e)?', 'cadre', 'interlocut(?:eur|rice)', 'correspondant(?:e)?',
  'r[ée]gisseu(?:r|se)', 'vaguemestre', 'huissier', 'h[ôo]tesse', 'h[ôo]te', 'accueillant(?:e)?', 'charg[ée](?:e)?\\s+de\\s+mission',
  'ing[ée]nieur(?:e)?', 'archiviste', 'informaticien(?:ne)?', 'comptable', 'commis', 'secr[ée]taire\\s+g[ée]n[ée]ral(?:e)?',
];

/** Inclusive-writing endings accepted right after a title. */
export const INCLUSIVE_ENDINGS = '(?:\\((?:e|ve|ne|se|[èe]re|rice|euse)\\)|[·.](?:e|ve|ne|rice))?';

/** Words that start a service's name: « Bureau du séjour », « Direction de… », « Pôle… ». */
export const SERVICE_HEADS: readonly string[] = [
  'bureau', 'service', 'direction', 'pr[ée]fecture', 'sous-pr[ée]fecture', 'p[ôo]le', 'mission', 'cellule',
  'secr[ée]tariat(?:\\s+g[ée]n[ée]ral)?', 'guichet', 'plate-?forme', 'd[ée]partement', 'division', 'unit[ée]', 'section', 'cabinet',
  'antenne', 'plateau', 'centre', 'd[ée]l[ée]gation', 'mairie', 'h[ôo]tel\\s+de\\s+ville', 'point\\s+num[ée]rique', 'accueil\\s+(?:g[ée]n[ée]ral|des)',
];

/**
 * Abbreviated service names used alone in prefecture signatures (« BSE », « DCI », « SG »).
 * Kept as a list: a free « two to six capitals » rule would take surnames for services.
 */
export const SERVICE_ACRONYMS: readonly string[] = [
  'SG', 'SGAD', 'SGCD', 'SGAR', 'SGC', 'SP', 'DCL', 'DRCL', 'DCI', 'DCPPAT', 'DRLP', 'DRHM', 'DRH', 'DLP', 'DRE', 'DDT', 'DDTM',
  'DDPP', 'DDCS', 'DDCSPP', 'DDETS', 'DDETSPP', 'DREAL', 'DREETS', 'DSDEN', 'DDFIP', 'DDSP', 'DMAT', 'DSC', 'BSE', 'BCI', 'BRE',
  'BAFU', 'BCLE', 'BPA', 'BRAE', 'BRAG', 'BEP', 'BAG', 'BCT', 'BIT', 'BSR', 'BDT', 'SIDPC', 'SIRACEDPC', 'SIDSIC', 'SPAR', 'CERT',
  'SAT', 'MAIA', 'PFI', 'SIC', 'SRH',
];

/** Street types that, after a number, start a postal address line. */
export const STREET_TYPES: readonly string[] = [
  'rue', 'avenue', 'av\\.', 'bd', 'boulevard', 'place', 'pl\\.', 'all[ée]e', 'chemin', 'route', 'quai', 'cours', 'impasse', 'square',
  'esplanade', 'rond-point', 'voie', 'passage', 'faubourg', 'parvis', 'promenade', 'cit[ée]', 'lotissement', 'r[ée]sidence', 'mont[ée]e',
  'chauss[ée]e', 'sentier', 'hameau', 'lieu-dit',
];

/**
 * French telephone numbers in the forms people write them: 04 50 33 60 00, 04.50.33.60.00,
 * 04-50-33-60-00, 0450336000, +33 4 50 33 60 00, +33 (0)4 50 33 60 00, +33(0)450336000,
 * 0033 4 50 33 60 00.
 */
export const PHONE_FORMATS: readonly string[] = [
  '(?<![\\d+])(?:(?:\\+|00)\\s?33\\s?(?:\\(\\s?0\\s?\\)\\s?)?[1-9]|0[1-9])(?:[\\s.\\-\\u00a0]?\\d{2}){4}(?!\\d)',
];
