import { z } from 'zod';

import { ACTIVITY_KINDS } from '~/db/schema';

import { dateTime, optionalUrl, text } from './week';

export const purposeSchema = z.object({
  purpose_md: z.string().max(50_000, 'errors.tooLong'),
});

/** One activity of a unit's plan. */
export const activitySchema = z
  .object({
    title: text(200),
    kind: z.enum(ACTIVITY_KINDS, { message: 'errors.choose' }),
    starts_at: dateTime,
    ends_at: dateTime,
    place: text(300),
    online_url: optionalUrl,
    audience: text(300),
  })
  .superRefine((a, ctx) => {
    if (a.starts_at && a.ends_at && a.ends_at < a.starts_at)
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'errors.endBeforeStart' });
  });
