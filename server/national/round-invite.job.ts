/**
 * `national.round-invite` { programmeId, orgId }: e-mails the referents of one organisation
 * taking part in a national phone round (issue 18: « invite each referent »), through the
 * platform's SMTP (mail/platform-mailer.ts). Without PLATFORM_SMTP_URL nothing is sent: the
 * referents find the round among their phone programmes either way. A failure to send is
 * retried by the job runner; a round deleted meanwhile ends the job quietly. Addresses are
 * never logged.
 */
import { and, eq } from 'drizzle-orm';
import type { JobDefinition } from '../jobs/job';
import { enqueue } from '../jobs/runner';
import type { Deps } from '../deps';
import { formatDate } from '../format';
import { platformMailConfigured, sendPlatformMail } from '../mail/platform-mailer';
import { phoneProgrammes, users } from '../storage/schema';

export const ROUND_INVITE_JOB = 'national.round-invite';

type Payload = { programmeId: string; orgId: string };

/** The invitation's text (French), with the link when the public address is known. */
export function invitationMessage(round: { name: string; startsOn: string; endsOn: string }, link: string | null): { subject: string; text: string } {
  return {
    subject: `Tournée nationale d’appels mystères : « ${round.name} »`,
    text: [
      'Bonjour,',
      '',
      `L’équipe nationale a créé la tournée d’appels mystères croisés « ${round.name} », du ${formatDate(round.startsOn)} au ${formatDate(round.endsOn)}, à laquelle votre préfecture participe : elle appellera une autre préfecture et sera appelée par une autre.`,
      '',
      'À faire dans Qualimètre (Appels mystères) : accepter la tournée, indiquer vos numéros à appeler et vos évaluateurs, puis générer le plan d’appels.',
      link ? `La tournée : ${link}` : 'La tournée se trouve dans Qualimètre, rubrique « Appels mystères ».',
      '',
      'Ce message est envoyé automatiquement par Qualimètre ; merci de ne pas y répondre.',
    ].join('\n'),
  };
}

export const roundInviteJob: JobDefinition<Payload> = {
  name: ROUND_INVITE_JOB,
  maxAttempts: 5,
  async run(payload, ctx) {
    if (!platformMailConfigured(ctx.config)) return;
    const [round] = await ctx.db.select({ name: phoneProgrammes.name, startsOn: phoneProgrammes.startsOn, endsOn: phoneProgrammes.endsOn })
      .from(phoneProgrammes).where(eq(phoneProgrammes.id, payload.programmeId)).limit(1);
    if (!round) return;
    const referents = await ctx.db.select({ email: users.email }).from(users)
      .where(and(eq(users.orgId, payload.orgId), eq(users.role, 'referent'), eq(users.active, true)));
    const base = ctx.config.PUBLIC_URL?.replace(/\/+$/, '');
    const m = invitationMessage(round, base ? `${base}/enquetes-telephoniques/${payload.programmeId}` : null);
    for (const r of referents) await sendPlatformMail(ctx.config, { to: r.email, ...m });
    ctx.logger.info({ programmeId: payload.programmeId, orgId: payload.orgId, referents: referents.length }, 'national round: referents invited');
  },
};

/** Queues one invitation per participating organisation (once per round and organisation). */
export async function inviteReferents(ctx: Pick<Deps, 'db' | 'clock'>, programmeId: string, orgIds: readonly string[]): Promise<void> {
  for (const orgId of orgIds) {
    await enqueue(ctx, ROUND_INVITE_JOB, { programmeId, orgId }, { dedupeKey: `${ROUND_INVITE_JOB}:${programmeId}:${orgId}`, maxAttempts: 5 });
  }
}
