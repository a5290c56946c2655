import { z } from 'zod';

/** The slogan list of a Week for a unit: add, edit or delete one slogan. */
export const sloganSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add'), text: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong') }),
  z.object({
    intent: z.literal('update'),
    id: z.string().min(1).max(40),
    text: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
  }),
  z.object({ intent: z.literal('delete'), id: z.string().min(1).max(40) }),
]);
