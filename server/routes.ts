/** The one place every feature router is mounted. */
import { Router, type Express } from 'express';
import { sql } from 'drizzle-orm';
import type { Deps } from './deps';
import { authRouter } from './auth/auth.routes';
import { proconnectRouter } from './auth/proconnect.routes';
import { adminRouter } from './org/admin.routes';
import { orgApiRouter } from './org/org.api';
import { orgRouter } from './org/org.routes';
import { homeRouter } from './home.routes';
import { campaignApiRouter } from './campaigns/campaign.api';
import { campaignRouter } from './campaigns/campaign.routes';
import { mailboxRouter } from './campaigns/mailbox.routes';
import { phoneApiRouter, phoneRouter } from './phone/phone.routes';
import { kioskDeviceRouter, kioskSubmissionRouter } from './kiosk/kiosk.device.routes';
import { kioskRouter } from './kiosk/kiosk.routes';
import { publicLinksRouter, publicSubmissionRouter } from './surveys/public-links.routes';
import { resultsApiRouter, resultsRouter } from './surveys/results.routes';
import { exportApiRouter, exportRouter } from './reports/export.routes';
import { publicReportRouter } from './reports/public.routes';
import { reportApiRouter } from './reports/report.api';
import { reportsRouter } from './reports/report.routes';
// Issue 13: password reset.
import { passwordResetRouter } from './auth/password-reset.routes';
import { adminOnboardingRouter } from './org/admin-onboarding.routes';
import { indicatorsApiRouter, indicatorsRouter } from './indicators/board.routes';
import { complaintRouter } from './complaints/complaint.routes';
// Issue 16 (items 3–4): corrective action plan, committee meetings and their dossier.
import { actionRouter } from './actions/action.routes';
import { committeeRouter } from './committee/meeting.routes';
// Issue 18: the national view and the national phone round.
import { nationalApiRouter, nationalRouter } from './national/national.routes';
import { roundRouter } from './national/round.routes';
// Compliance: legal pages, footer, register, rights requests.
import { complianceRouter, footerLocals } from './compliance/compliance.routes';
// Issue 16 (items 1–2): Programme Transparence, town-hall appointment delays.
import { publicTransparenceRouter, transparenceRouter } from './transparence/transparence.routes';
import { townHallRouter } from './town-halls/town-hall.routes';

/**
 * The anonymous JSON endpoints that tablets and visitors post answer sets to. They read no
 * cookie and no session and render no page, so createApp mounts them first, ahead of helmet
 * (they set their own headers: submission-http.ts), compression, cookies, session, CSRF and the
 * page routers: on a busy day they are most of the traffic.
 */
export function mountSubmissionRoutes(app: Express, deps: Deps) {
  app.use(kioskSubmissionRouter(deps));
  app.use(publicSubmissionRouter(deps));
}

export function mountRoutes(app: Express, deps: Deps) {
  app.get('/healthz', async (_req, res) => {
    await deps.db.execute(sql`select 1`);
    res.json({ status: 'ok', db: deps.dbKind });
  });

  // Compliance: every page's footer names the organisation's legal pages.
  app.use(footerLocals(deps));
  app.use(complianceRouter(deps));
  app.use(homeRouter(deps));
  // Before authRouter: it takes POST /deconnexion for sessions opened through ProConnect.
  app.use(proconnectRouter(deps));
  app.use(authRouter(deps));
  app.use(passwordResetRouter(deps));
  app.use(orgRouter(deps));
  app.use(adminRouter(deps));
  app.use(adminOnboardingRouter(deps));
  app.use(campaignRouter(deps));
  app.use(mailboxRouter(deps));
  app.use(phoneRouter(deps));
  app.use(kioskDeviceRouter(deps));
  app.use(kioskRouter(deps));
  app.use(publicLinksRouter(deps));
  app.use(resultsRouter(deps));
  // Reports: /rapports/exports before /rapports/:id.
  app.use(exportRouter(deps));
  app.use(reportsRouter(deps));
  app.use(publicReportRouter(deps));
  // Monthly quality board and complaints register (issue 15).
  app.use(indicatorsRouter(deps));
  app.use(complaintRouter(deps));
  // Programme Transparence and town-hall appointment delays (issue 16).
  app.use(transparenceRouter(deps));
  app.use(publicTransparenceRouter(deps));
  app.use(townHallRouter(deps));
  // Corrective action plan, committee meetings and their dossier (issue 16).
  app.use(actionRouter(deps));
  app.use(committeeRouter(deps));
  // The national view and the national phone round (issue 18).
  app.use(nationalRouter(deps));
  app.use(roundRouter(deps));

  const api = Router();
  api.use(orgApiRouter(deps));
  api.use(campaignApiRouter(deps));
  api.use(phoneApiRouter(deps));
  api.use(resultsApiRouter(deps));
  api.use(reportApiRouter(deps));
  api.use(exportApiRouter(deps));
  api.use(nationalApiRouter(deps));
  api.use(indicatorsApiRouter(deps));
  app.use('/api/v1', api);
}
