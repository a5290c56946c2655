import { z } from 'zod';

/** The buttons of a contest's badge desk: issue the winners' badges now, or save the automatic-issue setting. */
export const contestBadgeDeskSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('award') }),
  // An unchecked checkbox sends nothing: absent means off.
  z.object({ intent: z.literal('settings'), auto: z.literal('on').optional() }),
]);
