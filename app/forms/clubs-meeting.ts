import { z } from 'zod';

/** The meeting page's posts: an RSVP, cancelling the meeting, or recording who came. */
export const meetingActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('rsvp'), answer: z.enum(['yes', 'no', 'maybe']) }),
  z.object({ intent: z.literal('cancel') }),
  z.object({ intent: z.literal('attendance'), present: z.array(z.string().max(40)).max(5000) }),
]);
