import { z } from 'zod';

/** The club directory's two forms: join a club by its code, and reset the private calendar address. */
export const clubDirectorySchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('join-code'),
    code: z.string().trim().min(1, 'errors.required').max(20, 'errors.tooLong'),
  }),
  z.object({ intent: z.literal('reset-calendar') }),
]);
