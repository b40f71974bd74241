/** The action plan's rules: overdue, print order, printed rows. */
import { isOverdue, planCells, planRow, sortPlan, type PlanAction } from '../../../server/actions/action-plan';
import { buildAlerts } from '../../../server/home/alerts';

const a = (over: Partial<PlanAction>): PlanAction => ({ id: null, title: 'Action', origin: 'enquete', originNote: '', serviceName: null, dueOn: null, status: 'a_faire', comment: '', doneOn: null, ...over });

describe('when an action’s lateness is decided', () => {
  it.each([
    ['to do, due yesterday', a({ dueOn: '2019-09-08' }), true],
    ['in progress, due yesterday', a({ status: 'en_cours', dueOn: '2019-09-08' }), true],
    ['to do, due today', a({ dueOn: '2019-09-09' }), false],
    ['to do, no due date', a({}), false],
    ['done, due long ago', a({ status: 'realisee', dueOn: '2019-01-01', doneOn: '2019-02-01' }), false],
    ['abandoned, due long ago', a({ status: 'abandonnee', dueOn: '2019-01-01' }), false],
  ])('then %s → %s', (_c, action, late) => {
    expect(isOverdue(action, '2019-09-09')).toBe(late);
  });
});

describe('when the plan is printed', () => {
  it('then overdue actions come first, then open by due date, then done, then abandoned', () => {
    const list = [
      a({ title: 'abandonnée', status: 'abandonnee' }), a({ title: 'réalisée', status: 'realisee', doneOn: '2019-05-01' }),
      a({ title: 'à faire tard', dueOn: '2019-12-01' }), a({ title: 'en retard', dueOn: '2019-08-01' }), a({ title: 'en cours', status: 'en_cours', dueOn: '2019-12-31' }),
    ];
    expect(sortPlan(list, '2019-09-09').map((x) => x.title)).toEqual(['en retard', 'en cours', 'à faire tard', 'réalisée', 'abandonnée']);
  });

  it('then a row says origin, service, dates in French and lateness', () => {
    const row = planRow(a({ title: 'Renvoi d’appels', origin: 'indicateur', originNote: 'taux d’appels aboutis', serviceName: 'Standard', dueOn: '2019-08-01' }), '2019-09-09');
    expect(planCells(row)).toEqual(['Renvoi d’appels', 'Indicateur non atteint : taux d’appels aboutis', 'Standard', '1 août 2019', 'À faire (en retard)', '–', '–']);
  });
});

describe('when the home lists overdue actions', () => {
  const empty = { kiosks: [], mailboxes: [], campaigns: [], programmes: [], lateCalls: 0, report: undefined };
  it('then one alert counts them and links to the filtered plan', () => {
    const [alert] = buildAlerts({ ...empty, overdueActions: 3, canManage: true }, new Date('2019-09-09T08:00:00Z'), 4);
    expect(alert).toMatchObject({ level: 'warning', href: '/plan-actions?filtre=en-retard' });
    expect(alert.text).toContain('3 actions du plan d’actions ont dépassé leur échéance');
  });
  it('then none when nothing is overdue', () => {
    expect(buildAlerts({ ...empty, overdueActions: 0, canManage: true }, new Date(), 4)).toEqual([]);
  });
});
