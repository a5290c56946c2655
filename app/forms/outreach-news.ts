import { z } from 'zod';

import { parseViDate, viDateTimeToIso } from '~/lib/dates';

const newsFields = {
  title: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong'),
  body: z.string().max(10_000, 'errors.tooLong').default(''),
  date: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .refine((v) => parseViDate(v) !== null, 'errors.date'),
  photoAlt: z.string().trim().max(300, 'errors.tooLong').default(''),
  /** now: public at once; schedule: public from publishDay publishTime (Vietnam time); draft: not yet. */
  publish: z.enum(['now', 'schedule', 'draft'], { message: 'errors.choose' }).default('now'),
  publishDay: z.string().trim().max(20, 'errors.dateTime').default(''),
  publishTime: z.string().trim().max(10, 'errors.dateTime').default(''),
};

/**
 * The news forms of a unit's Week (multipart: the cover photo is read apart, by content): write,
 * edit (with the version it started from), publish, unpublish and delete buttons.
 */
export const newsSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('post'), ...newsFields }),
  z.object({
    intent: z.literal('update'),
    id: z.string().min(1).max(40),
    version: z.coerce.number().int().min(1),
    removePhoto: z.literal('on').optional(),
    ...newsFields,
  }),
  z.object({ intent: z.literal('publish'), id: z.string().min(1).max(40) }),
  z.object({ intent: z.literal('unpublish'), id: z.string().min(1).max(40) }),
  z.object({ intent: z.literal('delete'), id: z.string().min(1).max(40) }),
]);

/** The publication choice of a valid form; `publishDay` gets the error when the scheduled time is not real. */
export function publishChoice(d: {
  publish: 'now' | 'schedule' | 'draft';
  publishDay: string;
  publishTime: string;
}):
  | { ok: true; value: { mode: 'now' } | { mode: 'draft' } | { mode: 'schedule'; at: string } }
  | { ok: false; field: 'publishDay'; message: string } {
  if (d.publish !== 'schedule') return { ok: true, value: { mode: d.publish } };
  const at = viDateTimeToIso(d.publishDay, d.publishTime);
  if (!at) return { ok: false, field: 'publishDay', message: 'errors.dateTime' };
  return { ok: true, value: { mode: 'schedule', at } };
}
