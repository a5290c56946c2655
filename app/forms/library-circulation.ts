import { z } from 'zod';

/** The lending buttons on the title page and the shelf: one intent and the row it acts on. */
export const circulationSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('borrow'), holdingId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal('hold'), holdingId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal('return'), loanId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal('renew'), loanId: z.string().min(1).max(40) }),
  z.object({ intent: z.enum(['suspend', 'resume', 'cancel']), holdId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal('history'), enabled: z.enum(['0', '1']) }),
  z.object({ intent: z.literal('clear-history') }),
  z.object({ intent: z.literal('read-notifications') }),
]);
