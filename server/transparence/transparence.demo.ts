/**
 * Demo data of the Programme Transparence (Haute-Savoie): the national statistics typed for
 * 2019-T2 and 2019-T3 (the seed's figures in 2019-T3: titles satisfaction 70 %, ID cards and
 * passports 22 days, driving licences 12, registration certificates 5), both quarters
 * published. Answered calls come from the board's demo values (94 % in July 2019), the effort
 * score from the point numérique's demo answer sets (3,4 in 2019-T3). Open /transparence.
 */
import type { Deps } from '../deps';
import { parseQuarter } from '../quarters';
import { publish, typeValues } from './transparence.service';

export const DEMO_TRANSPARENCE: Record<string, Record<string, string>> = {
  '2019-T2': { 'satisfaction-titres': '68', 'delai-cni-passeport': '25', 'delai-permis': '14', 'delai-immatriculation': '6' },
  '2019-T3': { 'satisfaction-titres': '70', 'delai-cni-passeport': '22', 'delai-permis': '12', 'delai-immatriculation': '5' },
};

export async function seedTransparenceDemo(deps: Pick<Deps, 'db' | 'clock' | 'config'>, orgId: string): Promise<void> {
  for (const [id, values] of Object.entries(DEMO_TRANSPARENCE)) {
    const q = parseQuarter(id)!;
    await typeValues(deps, orgId, null, q, Object.fromEntries(Object.entries(values).map(([m, v]) => [`value:${m}`, v])));
    await publish(deps, orgId, q);
  }
}
