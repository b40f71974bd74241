/**
 * Demo data of the town-hall appointment delays (Haute-Savoie): eighteen real communes of the
 * department, picked through the commune picker (positions from GeoNames), and the quarterly
 * mystery checks of May 2019 (2019-T2) and September 2019 (2019-T3), whose means are the seed's
 * 18 and 10 calendar days; one September check found « pas de créneau ». Delays and dates are
 * drawn from a fixed-seed PRNG, then paired around the mean so it is exact. Open /mairies.
 */
import type { Deps } from '../deps';
import { seededRandom } from '../random';
import { addCommunes, communeChoices, recordCheck } from './town-hall.service';
import { checkSchema } from './town-hall.schemas';
import { listTownHalls } from './town-hall.store';

/** Communes of Haute-Savoie whose town hall takes ID card and passport applications (by name, as the picker lists them). */
export const DEMO_TOWN_HALLS = [
  'Annecy', 'Annemasse', 'Thonon-les-Bains', 'Évian-les-Bains', 'Cluses', 'Sallanches', 'Bonneville',
  'Chamonix-Mont-Blanc', 'Rumilly', 'Saint-Julien-en-Genevois', 'La Roche-sur-Foron', 'Passy',
  'Thônes', 'Faverges-Seythenex', 'Douvaine', 'Reignier-Ésery', 'Megève', 'Saint-Gervais-les-Bains',
];

/** The demo's quarterly campaigns: [first day, last day of the checks, mean delay, largest gap from it, « pas de créneau » checks]. */
export const DEMO_CHECKS: [from: string, to: string, mean: number, spread: number, noSlot: number][] = [
  ['2019-05-06', '2019-05-24', 18, 12, 0],
  ['2019-09-09', '2019-09-27', 10, 8, 1],
];

const DAY = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** Delays whose mean is exactly `mean`: pairs mean ± k (k drawn in 0..spread), and one `mean` when the count is odd. */
function delays(rand: () => number, count: number, mean: number, spread: number): number[] {
  const out: number[] = count % 2 ? [mean] : [];
  while (out.length < count) {
    const k = Math.floor(rand() * (spread + 1));
    out.push(mean + k, mean - k);
  }
  return out;
}

function shuffle<T>(rand: () => number, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export async function seedTownHallsDemo(deps: Pick<Deps, 'db' | 'clock' | 'config'>, orgId: string): Promise<void> {
  const rand = seededRandom(0x7474);
  const { communes } = await communeChoices(deps, orgId);
  const codes = DEMO_TOWN_HALLS.map((name) => {
    const c = communes.find((x) => x.name === name);
    if (!c) throw new Error(`demo: commune ${name} not in the department`);
    return c.code;
  });
  await addCommunes(deps, orgId, codes);
  const halls = (await listTownHalls(deps.db, orgId)).sort((x, y) => (x.inseeCode ?? '').localeCompare(y.inseeCode ?? ''));
  for (const [from, to, mean, spread, noSlot] of DEMO_CHECKS) {
    const span = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
    const order = shuffle(rand, halls.map((h) => h.id));
    const d = delays(rand, order.length - noSlot, mean, spread);
    for (const [i, townHallId] of order.entries()) {
      let checkedOn = addDays(from, Math.floor(rand() * (span + 1)));
      const wd = new Date(`${checkedOn}T00:00:00Z`).getUTCDay();
      if (wd === 0 || wd === 6) checkedOn = addDays(checkedOn, wd === 6 ? 2 : 1);
      const slot = i < noSlot ? null : addDays(checkedOn, d[i - noSlot]);
      await recordCheck(deps, orgId, null, checkSchema.parse({
        townHallId, checkedOn, channel: rand() < 0.7 ? 'online' : 'phone', ...(slot ? { firstSlotOn: slot } : { noSlot: 'on' }),
      }));
    }
  }
}
