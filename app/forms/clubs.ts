import { z } from 'zod';

import { CLUB_AUDIENCES, CLUB_VISIBILITIES } from '~/db/schema/clubs';
import { parseViDate } from '~/lib/dates';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .optional()
    .transform((v) => v || null);

/** A new club (or a citizen's proposal). */
export const clubCreateSchema = z.object({
  unit_id: z.string().min(1, 'errors.choose').max(40),
  name: text(120),
  description_md: z.string().max(20_000, 'errors.tooLong').default(''),
  language: z.enum(['vi', 'en'], { message: 'errors.choose' }),
  audience: z.enum(CLUB_AUDIENCES, { message: 'errors.choose' }),
  visibility: z.enum(CLUB_VISIBILITIES, { message: 'errors.choose' }),
  intergenerational: z
    .string()
    .optional()
    .transform((v) => v === '1'),
});

/** The buttons on a club page. */
export const clubActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('join'), code: z.string().max(20).optional() }),
  z.object({ intent: z.literal('leave') }),
  z.object({ intent: z.literal('approve-club') }),
  z.object({ intent: z.literal('close') }),
  z.object({ intent: z.enum(['accept-member', 'decline-member', 'remove-member', 'promote-member']), member: z.string().min(1).max(40) }),
  z.object({ intent: z.literal('rsvp'), meeting: z.string().min(1).max(40), answer: z.enum(['yes', 'no', 'maybe']) }),
  z.object({ intent: z.literal('pair-invite'), member: z.string().min(1).max(40) }),
  z.object({ intent: z.enum(['pair-accept', 'pair-decline', 'pair-end']), pair: z.string().min(1).max(40) }),
]);

/** dd/MM/yyyy and HH:mm in Vietnam, as typed in a form without JavaScript. */
const day = z
  .string()
  .trim()
  .regex(/^\d{1,2}\/\d{1,2}\/\d{4}$/, 'clubs.errors.date');
const time = z
  .string()
  .trim()
  .regex(/^\d{1,2}:\d{2}$/, 'clubs.errors.time');

export const meetingSchema = z
  .object({
    title: text(160),
    mode: z.enum(['online', 'in_person'], { message: 'errors.choose' }),
    link: optionalText(500),
    place: optionalText(300),
    date: day,
    start: time,
    end: time,
    agenda_md: z.string().max(10_000, 'errors.tooLong').default(''),
    capacity: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? Number(v) : null))
      .refine((v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 10_000), 'clubs.errors.capacity'),
  })
  .superRefine((v, ctx) => {
    if (v.mode === 'online' && !(v.link && /^https:\/\/[^\s/]+/.test(v.link)))
      ctx.addIssue({ code: 'custom', path: ['link'], message: 'clubs.errors.link' });
    if (v.mode === 'in_person' && !v.place) ctx.addIssue({ code: 'custom', path: ['place'], message: 'errors.required' });
    if (!parseViDate(v.date)) ctx.addIssue({ code: 'custom', path: ['date'], message: 'clubs.errors.date' });
    const minutes = (t: string) => Number(t.split(':')[0]) * 60 + Number(t.split(':')[1]);
    if (minutes(v.end) <= minutes(v.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'clubs.errors.endsBeforeStart' });
  });

export const pollSchema = z.object({
  question: text(200),
  closes_date: day,
  closes_time: time,
  options: z.string().max(3000, 'errors.tooLong'),
});

export const ballotSchema = z.object({
  rank: z.array(z.string().max(40)).max(10),
});

export const readingLogSchema = z.object({
  read_on: day,
  minutes: z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'clubs.errors.minutes')
    .transform(Number),
  what: optionalText(200),
  title_id: optionalText(40),
  partner: optionalText(40),
});

const whole = (max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : null))
    .refine((v) => v === null || (Number.isInteger(v) && v >= 1 && v <= max), 'clubs.errors.pages');

/** The schedule page's forms: the current book, a new milestone, my progress. */
export const scheduleSchema = z.discriminatedUnion('intent', [
  z
    .object({
      intent: z.literal('book'),
      source: z.enum(['library', 'outside'], { message: 'errors.choose' }),
      title_id: optionalText(40),
      title: optionalText(300),
      author: optionalText(300),
      pages: whole(100_000),
    })
    .superRefine((v, ctx) => {
      if (v.source === 'library' && !v.title_id) ctx.addIssue({ code: 'custom', path: ['title_id'], message: 'errors.choose' });
      if (v.source === 'outside' && !v.title) ctx.addIssue({ code: 'custom', path: ['title'], message: 'errors.required' });
    }),
  z
    .object({
      intent: z.literal('milestone'),
      label: text(200),
      from_page: whole(100_000),
      to_page: whole(100_000),
      start_chapter: optionalText(300),
      target: day,
      questions: z.string().max(5000, 'errors.tooLong').default(''),
    })
    .superRefine((v, ctx) => {
      if (!parseViDate(v.target)) ctx.addIssue({ code: 'custom', path: ['target'], message: 'clubs.errors.date' });
      if (v.from_page != null && v.to_page != null && v.to_page < v.from_page)
        ctx.addIssue({ code: 'custom', path: ['to_page'], message: 'clubs.errors.pagesOrder' });
    }),
  z.object({
    intent: z.literal('progress'),
    finished: z
      .string()
      .regex(/^\d{1,3}$/, 'errors.choose')
      .transform(Number),
  }),
]);

/** A new ordinary club thread. */
export const clubThreadSchema = z.object({
  title: z.string().trim().min(1, 'community.errors.title_required').max(400, 'community.errors.title_too_long'),
  body: z.string().trim().min(1, 'community.errors.empty').max(200_000, 'community.errors.too_long'),
});
