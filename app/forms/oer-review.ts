import { z } from 'zod';

const comment = z
  .string()
  .optional()
  .transform((s) => (s ?? '').slice(0, 2000));

/** The moderation buttons on a resource page: send for review, publish, return or take down (with a reason), approve or turn down an edit. */
export const resourceDecisionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('submit') }),
  z.object({ intent: z.literal('publish'), comment }),
  z.object({ intent: z.literal('return'), comment }),
  z.object({ intent: z.literal('withdraw'), comment }),
  z.object({ intent: z.literal('approve-edit') }),
  z.object({ intent: z.literal('reject-edit'), comment }),
]);
export type ResourceDecision = z.infer<typeof resourceDecisionSchema>;

/**
 * The player's progress beacon: where the viewer is, in seconds (a day at most). The media's length
 * is what the player knows, if anything — empty before metadata, `Infinity` for a live stream —
 * so anything but a sane number just means "not known".
 */
export const watchProgressSchema = z.object({
  position: z.string().trim().min(1).transform(Number).pipe(z.number().finite().min(0).max(86_400)),
  duration: z
    .string()
    .optional()
    .transform((v) => {
      const n = Number(v);
      return v && Number.isFinite(n) && n > 0 && n <= 86_400 ? n : undefined;
    }),
});
