/** Findings worded like the seed's minutes, from summaries (hand-built), honouring the minimum cell size. */
import { findings, passMarkText } from '../../../server/phone/findings';
import type { Summary } from '../../../server/phone/scoring';

const NNBSP = '\u202f';
const summary = (over: Partial<Summary>): Summary => ({
  calls: 0,
  answered: { rate: null, count: 0, n: 0 },
  wait: { mean: null, n: 0 },
  form: { mean: null, n: 0 },
  substance: { mean: null, n: 0 },
  formPass: { rate: null, count: 0, n: 0 },
  substancePass: { rate: null, count: 0, n: 0 },
  machineOnly: 0,
  ...over,
});

describe('findings', () => {
  it('when a number only ever answered with a machine, then it is the seed’s « absence de permanence » finding', () => {
    const machine = summary({ calls: 2, answered: { rate: 0, count: 0, n: 2 }, machineOnly: 2 });
    expect(findings(summary({}), [{ label: 'Service des étrangers', summary: machine }], { passMark: 7, minCellSize: 5 })).toEqual([
      'Service des étrangers : absence de permanence téléphonique et renvoi systématique vers un répondeur (2 appels sur 2).',
    ]);
  });

  it('when one call of three reached a person, then there is no answering-machine finding', () => {
    const mixed = summary({ calls: 3, answered: { rate: 1 / 3, count: 1, n: 3 }, machineOnly: 2 });
    expect(findings(summary({}), [{ label: 'Standard', summary: mixed }], { passMark: 7, minCellSize: 5 })).toEqual([]);
  });

  it.each<[string, Partial<Summary>, string[]]>([
    ['n below the minimum cell size', { calls: 4, answered: { rate: 0.5, count: 2, n: 4 }, form: { mean: 3, n: 2 } }, []],
    [
      'rate at the target, marks around the pass mark',
      { calls: 10, answered: { rate: 0.9, count: 9, n: 10 }, form: { mean: 7, n: 9 }, substance: { mean: 6.94, n: 9 } },
      [
        `Taux d’appels aboutis de 90${NNBSP}%, conforme à l’objectif national de 90${NNBSP}%.`,
        'Professionnalisme et courtoisie de l’accueil téléphonique : note de forme de 7,0/10, qui atteint le seuil de réussite (7/10).',
        'Qualité des réponses sur le fond insuffisante : note de 6,9/10, sous le seuil de réussite (7/10).',
      ],
    ],
    [
      'rate under the target, poor form, good substance',
      { calls: 8, answered: { rate: 0.625, count: 5, n: 8 }, form: { mean: 5.5, n: 5 }, substance: { mean: 8, n: 5 } },
      [
        `Taux d’appels aboutis de 63${NNBSP}%, inférieur à l’objectif national de 90${NNBSP}%.`,
        'Accueil téléphonique à améliorer sur la forme : note de 5,5/10, sous le seuil de réussite (7/10).',
        'Qualité des réponses apportées : note de fond de 8,0/10, qui atteint le seuil de réussite (7/10).',
      ],
    ],
  ])('when %s, then the overall findings are as expected', (_label, over, expected) => {
    expect(findings(summary(over), [], { passMark: 7, minCellSize: 5 })).toEqual(expected);
  });

  it('when the pass mark has a decimal, then it is printed the French way', () => {
    expect(passMarkText(6.5)).toBe('6,5/10');
    expect(passMarkText(7)).toBe('7/10');
  });
});
