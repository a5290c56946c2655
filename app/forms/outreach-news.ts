import { z } from 'zod';

import { parseViDate } from '~/lib/dates';

/** The news form of a unit's Week (multipart: the photo is read apart, by content) and its delete button. */
export const newsSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('post'),
    title: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
    body: z.string().max(10_000, 'errors.tooLong').default(''),
    date: z
      .string()
      .trim()
      .min(1, 'errors.required')
      .refine((v) => parseViDate(v) !== null, 'errors.date'),
    photoAlt: z.string().trim().max(300, 'errors.tooLong').default(''),
  }),
  z.object({ intent: z.literal('delete'), id: z.string().min(1).max(40) }),
]);
