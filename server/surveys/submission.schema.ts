/** The JSON of one answer set, as kiosks and public links send it. */
import { z } from 'zod';

export const submissionSchema = z.object({
  id: z.string().uuid({ message: 'Identifiant (UUID) attendu.' }).transform((s) => s.toLowerCase()),
  survey: z.string().regex(/^[a-z0-9-]{1,80}$/, { message: 'Identifiant de questionnaire invalide.' }),
  version: z.string().regex(/^[0-9a-f]{8,64}$/, { message: 'Version de questionnaire invalide.' }),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { message: 'Langue invalide.' }),
  answers: z.record(z.string(), z.unknown(), { message: 'Les réponses doivent former un objet.' }),
  completedAt: z.iso.datetime({ offset: true, message: 'Date de fin attendue au format ISO 8601.' }),
  /** Answer sets still waiting on the device besides this one (kiosks report it). */
  queued: z.number().int().min(0).max(1_000_000).optional(),
});

export type Submission = z.output<typeof submissionSchema>;
