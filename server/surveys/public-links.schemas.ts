import { z } from 'zod';

export const publicLinkSchema = z.object({
  surveyId: z.string({ message: 'Choisissez un questionnaire.' }).min(1, 'Choisissez un questionnaire.'),
  siteId: z.union([z.literal(''), z.string().uuid('Choisissez un site.')]).optional().transform((v) => v || null),
});
