/**
 * Shared set-up of the board's tests: the seed's 27 complaints of January–July 2019 (23
 * answered within 15 working days, mean delay 4 working days: « 27 ; 85 % ; 4 jours »), the
 * July telephony file, and file uploads through the page form.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from '../../../server/deps';
import { createComplaint } from '../../../server/complaints/complaint.service';
import { complaintSchema } from '../../../server/complaints/complaint.schemas';
import type { Browser } from '../../helpers/factories';

export const JULY_TELEPHONY = fs.readFileSync(path.join(__dirname, '../../fixtures/indicators/telephonie-2019-07.csv'));

/**
 * [received, answered]: 13 answered after 1 working day, 6 after 2, 4 after 3 (all Mondays or
 * Tuesdays of weeks without a holiday), and 4 late ones whose dates cross holidays:
 * 29 April → 23 May (1 and 8 May off: 16 days), 3 June → 27 June (Whit Monday off: 17 days),
 * 1 July → 25 July (18 days), 4 February → 4 March (20 days). 108 days / 27 = 4.
 */
export const SEED_COMPLAINTS: [string, string][] = [
  ['2019-01-07', '2019-01-08'], ['2019-01-08', '2019-01-09'], ['2019-01-14', '2019-01-15'], ['2019-01-21', '2019-01-22'],
  ['2019-01-28', '2019-01-29'], ['2019-02-11', '2019-02-12'], ['2019-02-12', '2019-02-13'], ['2019-02-18', '2019-02-19'],
  ['2019-02-25', '2019-02-26'], ['2019-03-04', '2019-03-05'], ['2019-03-11', '2019-03-12'], ['2019-03-18', '2019-03-19'],
  ['2019-03-25', '2019-03-26'],
  ['2019-04-01', '2019-04-03'], ['2019-04-08', '2019-04-10'], ['2019-04-15', '2019-04-17'], ['2019-05-13', '2019-05-15'],
  ['2019-05-20', '2019-05-22'], ['2019-06-17', '2019-06-19'],
  ['2019-06-24', '2019-06-27'], ['2019-07-08', '2019-07-11'], ['2019-07-15', '2019-07-18'], ['2019-07-22', '2019-07-25'],
  ['2019-04-29', '2019-05-23'], ['2019-06-03', '2019-06-27'], ['2019-07-01', '2019-07-25'], ['2019-02-04', '2019-03-04'],
];

export async function seedComplaints(deps: Deps, orgId: string, extra: Record<string, string> = {}) {
  const channels = ['borne', 'papier', 'site', 'courriel', 'lien_public'];
  for (const [n, [receivedOn, answeredOn]] of SEED_COMPLAINTS.entries()) {
    await createComplaint(deps, orgId, null, complaintSchema.parse({ channel: channels[n % channels.length], receivedOn, answeredOn, subject: `Réclamation ${n + 1}`, ...extra }));
  }
}

export async function upload(b: Browser, kind: string, name: string, data: Buffer) {
  if (!b.csrf) await b.page('/indicateurs/imports');
  return b.agent.post('/indicateurs/imports').set('Accept', 'text/html').field('_csrf', b.csrf).field('kind', kind).attach('file', data, name);
}

export const importIdOf = (location: string | undefined) => /\/indicateurs\/imports\/([0-9a-f-]{36})$/.exec(location ?? '')?.[1] ?? '';
