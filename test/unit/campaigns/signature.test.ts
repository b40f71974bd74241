import {
  SIGNATURE_ITEMS,
  detectSignature,
  findSignatureBlock,
  signatureConformity,
  type SignatureItemKey,
} from '../../../server/campaigns/classification/signature';

const BODY = 'Bonjour,\n\nVotre dossier est complet et sera instruit sous quinze jours par nos services.\n\n';

type Expect = Partial<Record<SignatureItemKey, string | false>>;

describe('detectSignature', () => {
  it.each<[string, string, Expect]>([
    [
      'complete prefecture signature',
      'Cordialement,\n\nSophie BERTHIER\nAdjointe au chef du bureau de l\'accueil\nDirection de la citoyenneté et de la légalité\nPréfecture de la Haute-Savoie\n30 rue du 30ème Régiment d\'Infanterie\n74000 Annecy\nTél. : 04 50 33 60 54',
      {
        firstName: 'Sophie', lastName: 'BERTHIER', function: "Adjointe au chef du bureau de l'accueil",
        service: 'Direction de la citoyenneté et de la légalité', address: "30 rue du 30ème Régiment d'Infanterie\n74000 Annecy", phone: '04 50 33 60 54',
      },
    ],
    [
      'NOM Prénom, dotted phone, BP + CEDEX',
      'Bien cordialement\nMOREAU Isabelle\nSecrétaire administrative\nService des permis de conduire\nBP 2332 - 74034 ANNECY CEDEX\n04.50.33.60.00',
      { firstName: 'Isabelle', lastName: 'MOREAU', function: 'Secrétaire administrative', service: 'Service des permis de conduire', address: 'BP 2332 - 74034 ANNECY CEDEX', phone: '04.50.33.60.00' },
    ],
    [
      'Prénom Nom, +33 (0) phone, administrative e-mail as address',
      'Respectueusement,\nJean-Luc Martin\nRéférent qualité\nCellule qualité\n+33 (0)4 76 60 34 00\njean-luc.martin@isere.gouv.fr',
      { firstName: 'Jean-Luc', lastName: 'Martin', function: 'Référent qualité', service: 'Cellule qualité', address: 'jean-luc.martin@isere.gouv.fr', phone: '+33 (0)4 76 60 34 00' },
    ],
    [
      'title + initial gives the surname only',
      'Salutations distinguées.\n\nJ. DURAND\nAgent d\'accueil\nPréfecture de l\'Isère\n0476603400',
      { firstName: false, lastName: 'DURAND', function: "Agent d'accueil", service: "Préfecture de l'Isère", address: false, phone: '0476603400' },
    ],
    [
      'Mme + surname only',
      'Cordialement,\nMme Lefort\nGestionnaire des titres\nBureau de la circulation',
      { firstName: false, lastName: 'Lefort', function: 'Gestionnaire des titres', service: 'Bureau de la circulation', address: false, phone: false },
    ],
    [
      'lone first name after the formula',
      'Bonne journée\nNathalie\nAccueil mairie',
      { firstName: 'Nathalie', lastName: false, function: false, service: false, address: false, phone: false },
    ],
    [
      'service only',
      'Cordialement\nLe service des étrangers',
      { firstName: false, lastName: false, function: false, service: 'service des étrangers', address: false, phone: false },
    ],
    [
      'name on the formula line, segments split by a dash',
      'Cordialement, Marie-Claire DUPONT-MOREL – Chargée de mission vie associative\nPôle accueil et relations avec les usagers\nTél : +33 4 50 33 60 54',
      { firstName: 'Marie-Claire', lastName: 'DUPONT-MOREL', function: 'Chargée de mission vie associative', service: 'Pôle accueil et relations avec les usagers', address: false, phone: '+33 4 50 33 60 54' },
    ],
    [
      'delegation line is skipped, particle surname',
      'Je vous prie d\'agréer, Madame, l\'expression de mes salutations distinguées.\n\nPour le préfet et par délégation,\nLe directeur de la citoyenneté\nAnne de LA TOUR\nPréfecture de la Savoie\nCS 30101\n73018 Chambéry Cedex',
      { firstName: 'Anne', lastName: 'de LA TOUR', function: 'Le directeur de la citoyenneté', service: 'Préfecture de la Savoie', address: 'CS 30101\n73018 Chambéry Cedex', phone: false },
    ],
    [
      'no closing formula: trailing short lines',
      'Paul ROUX\nMédiateur numérique\nPréfecture de la Haute-Savoie\n04 50 33 60 00',
      { firstName: 'Paul', lastName: 'ROUX', function: 'Médiateur numérique', service: 'Préfecture de la Haute-Savoie', phone: '04 50 33 60 00' },
    ],
  ])('%s', (_name, signature, expected) => {
    const text = BODY + signature;
    const { items } = detectSignature(text);
    for (const [key, value] of Object.entries(expected) as [SignatureItemKey, string | false][]) {
      if (value === false) {
        expect({ key, present: items[key].present }).toEqual({ key, present: false });
      } else {
        expect({ key, text: items[key].span?.text }).toEqual({ key, text: value });
        const span = items[key].span!;
        expect(text.slice(span.start, span.end)).toBe(span.text);
      }
    }
  });

  it('ignores phone numbers and addresses of the body, before the signature', () => {
    const text = 'Bonjour,\n\nAppelez le 04 50 33 60 00 ou écrivez au 30 rue Dupanloup, 74000 Annecy.\n\nCordialement,\nMarie DUPONT';
    const { items } = detectSignature(text);
    expect(items.phone.present).toBe(false);
    expect(items.address.present).toBe(false);
    expect(items.lastName.present).toBe(true);
  });

  it('finds nothing in a text without signature', () => {
    const { items, block } = detectSignature('Bonjour, les horaires sont de 8h30 à 11h30.');
    expect(block).toBeNull();
    expect(Object.values(items).every((i) => !i.present)).toBe(true);
    expect(detectSignature('').block).toBeNull();
  });

  it('does not take street names or disclaimers for names', () => {
    const { items } = detectSignature(
      `${BODY}Cordialement,\nBureau Accueil\nPlace Bellevue\n` +
        'Ce message et ses pièces jointes sont confidentiels et destinés exclusivement à leur destinataire. Si vous n’êtes pas le destinataire, merci de le détruire et d’en informer l’expéditeur immédiatement.',
    );
    expect(items.firstName.present).toBe(false);
    expect(items.lastName.present).toBe(false);
  });

  it('reports how the block was found', () => {
    expect(findSignatureBlock(`${BODY}Cordialement,\nMarie`).rule).toBe('closing-formula');
    expect(findSignatureBlock(`${BODY}-- \nMarie DUPONT`).rule).toBe('separator');
    expect(findSignatureBlock(`${BODY}Marie DUPONT\nBureau des titres`).rule).toBe('trailing-lines');
  });
});

describe('signatureConformity', () => {
  const full = detectSignature(
    `${BODY}Cordialement,\nSophie BERTHIER\nAdjointe au chef de bureau\nBureau des titres\n30 rue du Lac\n74000 Annecy\n04 50 33 60 54`,
  ).items;
  const partial = detectSignature(`${BODY}Cordialement,\nSophie BERTHIER\nBureau des titres`).items;

  it('needs every item of the default checklist (all six)', () => {
    expect(SIGNATURE_ITEMS).toHaveLength(6);
    expect(signatureConformity(full)).toEqual({ conforming: true, missing: [] });
    expect(signatureConformity(partial)).toEqual({ conforming: false, missing: ['function', 'address', 'phone'] });
  });

  it('uses a configurable checklist', () => {
    expect(signatureConformity(partial, ['firstName', 'lastName', 'service'])).toEqual({ conforming: true, missing: [] });
    expect(signatureConformity(partial, ['phone'])).toEqual({ conforming: false, missing: ['phone'] });
    expect(signatureConformity(partial, [])).toEqual({ conforming: true, missing: [] });
  });
});
