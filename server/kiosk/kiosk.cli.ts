/**
 * `npm run cli -- kiosk:create --org 74 --site "Accueil général" --survey satisfaction-accueil
 * [--locales fr,en] [--name "Hall"] [--inactivity 60]`: enrols a kiosk and prints its link.
 */
import type { Deps } from '../deps';
import { ValidationError } from '../errors';
import { isUuid } from '../http/params';
import * as orgStore from '../org/org.store';
import { kioskCreateSchema } from './kiosk.schemas';
import * as svc from './kiosk.service';

type OrgByCode = (deps: Deps, code: unknown) => Promise<{ id: string; code: string }>;

export function kioskCreateCommand(orgByCode: OrgByCode, usage: (message: string) => Error) {
  return {
    summary: 'Enrol a kiosk tablet for one site and one survey; prints the kiosk URL (open it on the tablet).',
    usage: 'kiosk:create --org 74 --site "<site name or id>" --survey satisfaction-accueil [--locales fr,en] [--name "…"] [--inactivity 60]',
    options: {
      org: { type: 'string' as const }, site: { type: 'string' as const }, survey: { type: 'string' as const },
      locales: { type: 'string' as const }, name: { type: 'string' as const }, inactivity: { type: 'string' as const },
    },
    async run(deps: Deps, v: Record<string, string | boolean | undefined>) {
      const org = await orgByCode(deps, v.org);
      if (typeof v.site !== 'string' || !v.site) throw usage('--site <name or id> is required');
      if (typeof v.survey !== 'string' || !v.survey) throw usage('--survey <id> is required (e.g. satisfaction-accueil)');
      const sites = await orgStore.listSites(deps.db, org.id);
      const wanted = v.site.trim();
      const matches = isUuid(wanted)
        ? sites.filter((s) => s.id === wanted.toLowerCase())
        : sites.filter((s) => s.name.localeCompare(wanted, 'fr', { sensitivity: 'base' }) === 0);
      if (matches.length === 0) throw usage(`No site "${wanted}" in organisation ${org.code}. Sites: ${sites.map((s) => s.name).join(', ') || '(none)'}`);
      if (matches.length > 1) throw usage(`Several sites are named "${wanted}": give the site id (${matches.map((s) => s.id).join(', ')})`);
      const site = matches[0];
      const parsed = kioskCreateSchema.safeParse({
        name: typeof v.name === 'string' ? v.name : `Borne ${site.name}`,
        siteId: site.id,
        surveyId: v.survey,
        locales: typeof v.locales === 'string' ? v.locales : undefined,
        inactivitySeconds: typeof v.inactivity === 'string' ? v.inactivity : undefined,
      });
      if (!parsed.success) throw usage(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
      try {
        const { kiosk, token } = await svc.createKiosk(deps, org.id, parsed.data);
        const base = deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`;
        return `Created kiosk "${kiosk.name}" (${kiosk.id}) for ${site.name}, survey ${kiosk.surveyId}, languages ${kiosk.locales.join(',')}\n`
          + `Open this URL on the tablet (shown once; a referent can show the QR code by regenerating the link in /bornes):\n`
          + `${base.replace(/\/$/, '')}${svc.kioskPath(token)}\n`;
      } catch (err) {
        if (err instanceof ValidationError) throw usage(Object.values(err.fieldErrors).join('\n'));
        throw err;
      }
    },
  };
}
