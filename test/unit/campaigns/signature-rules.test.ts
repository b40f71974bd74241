/** Table-driven tests of the signature rule tables (signature-rules.ts) through detectSignature. */
import { detectSignature, type SignatureItemKey } from '../../../server/campaigns/classification/signature';

const BODY = 'Bonjour,\n\nLe guichet est ouvert de 8h30 à 11h30.\n\nCordialement,\n\n';
const item = (sig: string, k: SignatureItemKey) => detectSignature(BODY + sig).items[k];

describe('function lines (elided articles, compound titles, inclusive forms)', () => {
  it.each([
    "Chargée d'accueil",
    "Chargé(e) d'accueil",
    "Chargé d'études",
    "Chef d'équipe",
    "Cheffe d'équipe",
    'Adjoint au chef du bureau de l\'urbanisme',
    'Adjointe au chef du bureau de l\'urbanisme',
    "Attaché(e) d'administration",
    "Attachée d'administration de l'État",
    'Secrétaire administratif(ve)',
    'Secrétaire administrative',
    'Gestionnaire titres',
    "Agent d'accueil",
    "L'agent d'accueil",
    'Instructrice',
    'Chargée de mission',
    'Référent·e qualité',
  ])('when the line is « %s », then it is the function', (line) => {
    expect(item(`Marie DUPONT\n${line}\nPréfecture de la Haute-Savoie`, 'function')).toMatchObject({ present: true, span: { text: line } });
  });

  it.each(['Chefferie de projet', 'Agenda du service', 'Chargement en cours', 'Adjointement'])(
    'when the line is « %s », then it is not a function',
    (line) => {
      expect(item(`Marie DUPONT\n${line}`, 'function').present).toBe(false);
    },
  );
});

describe('names in capitals, with particles', () => {
  it.each<[string, string | false, string]>([
    ['Anne DE LA FONTAINE', 'Anne', 'DE LA FONTAINE'],
    ['Jean de La Fontaine', 'Jean', 'de La Fontaine'],
    ['DUPONT-MOREL Marie-Claire', 'Marie-Claire', 'DUPONT-MOREL'],
    ["Pierre D'ALEMBERT", 'Pierre', "D'ALEMBERT"],
    ['Mme LEFORT', false, 'LEFORT'],
  ])('when the name line is « %s », then first %s, last %s', (line, first, last) => {
    const d = detectSignature(`${BODY}${line}\nChargée d'accueil`).items;
    expect({ first: d.firstName.present ? d.firstName.span!.text : false, last: d.lastName.span?.text }).toEqual({ first, last });
  });
});

describe('services, also abbreviated', () => {
  it.each<[string, string]>([
    ['BSE', 'BSE'],
    ['DCI - Bureau des titres', 'DCI'],
    ["Chef d'équipe - SG", 'SG'],
    ['Bureau du séjour des étrangers', 'Bureau du séjour des étrangers'],
    ['Pôle accueil et relations avec les usagers', 'Pôle accueil et relations avec les usagers'],
    ['Point numérique', 'Point numérique'],
  ])('when a line reads « %s », then the service is « %s »', (line, service) => {
    expect(item(`Marie DUPONT\n${line}`, 'service')).toMatchObject({ present: true, span: { text: service } });
  });

  it('when a surname in capitals stands alone, then it is no service', () => {
    expect(item('Marie\nDUPONT', 'service').present).toBe(false);
  });
});

describe('phones in every French format', () => {
  it.each([
    '04 50 33 60 00', '04.50.33.60.00', '04-50-33-60-00', '0450336000', '+33 4 50 33 60 00', '+33 (0)4 50 33 60 00',
    '+33(0)450336000', '+33 (0) 4 50 33 60 00', '0033 4 50 33 60 00', '04\u00a050\u00a033\u00a060\u00a000', '+33 6 12 34 56 78',
  ])('when the line is « Tél. : %s », then the phone is found whole', (phone) => {
    expect(item(`Marie DUPONT\nTél. : ${phone}`, 'phone')).toMatchObject({ present: true, span: { text: phone } });
  });

  it.each(['N° de dossier 1234567890', 'Réf. 2019-06-03-0001', '74000 Annecy'])('when the line is « %s », then no phone', (line) => {
    expect(item(`Marie DUPONT\n${line}`, 'phone').present).toBe(false);
  });
});

describe('addresses on one or two lines', () => {
  it.each<[string, string]>([
    ["30 rue du 30ème Régiment d'Infanterie\n74000 Annecy", "30 rue du 30ème Régiment d'Infanterie\n74000 Annecy"],
    ['12 place de Verdun, 38000 Grenoble', '12 place de Verdun, 38000 Grenoble'],
    ['BP 1801\n73018 Chambéry Cedex', 'BP 1801\n73018 Chambéry Cedex'],
    ['Cité administrative\n7 rue Dupanloup\n74040 Annecy Cedex', '7 rue Dupanloup\n74040 Annecy Cedex'],
    ['12 bis montée du Château\n73000 Chambéry', '12 bis montée du Château\n73000 Chambéry'],
  ])('when the address reads %j, then it is found', (lines, address) => {
    expect(item(`Marie DUPONT\n${lines}`, 'address')).toMatchObject({ present: true, span: { text: address } });
  });
});
