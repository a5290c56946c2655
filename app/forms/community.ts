import { z } from 'zod';

// Generous caps at the form (the domain decides the real limits and says which one was hit).
const body = z.string().trim().min(1, 'community.errors.empty').max(200_000, 'community.errors.too_long');
const title = z.string().trim().min(1, 'community.errors.title_required').max(400, 'community.errors.title_too_long');
const id = z.string().min(1).max(40);
const reason = z.string().trim().max(500, 'errors.tooLong');

export const newThreadSchema = z.object({ title, body });

/** The thread page's forms: one intent each. */
export const threadSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('reply'), body, quoteOf: id.optional().or(z.literal('')) }),
  z.object({ intent: z.literal('react'), postId: id, reaction: z.string().min(1).max(20) }),
  z.object({ intent: z.literal('follow'), on: z.enum(['0', '1']) }),
  z.object({ intent: z.literal('read'), postNo: z.coerce.number().int().min(0).max(10_000_000) }),
  z.object({
    intent: z.literal('flag'),
    postId: id,
    reason: z.enum(['spam', 'offensive', 'off_topic', 'minor_data', 'other'], { message: 'community.errors.flagReason' }),
    note: reason.optional(),
  }),
  z.object({ intent: z.literal('remove'), postId: id }),
  z.object({
    intent: z.literal('moderate'),
    postId: id,
    action: z.enum(['approve', 'hide', 'delete', 'warn', 'silence', 'lock', 'unlock', 'pin', 'unpin', 'slow', 'move']),
    reason,
    amount: z.coerce.number().int().min(0).max(86_400).optional(),
    targetPlaceId: id.optional().or(z.literal('')),
  }),
]);

export const editPostSchema = z.object({ body });

export const categorySchema = z.object({
  unitId: z.string().min(1, 'errors.choose').max(40),
  name: z.string().trim().min(1, 'errors.required').max(120, 'errors.tooLong'),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'community.errors.slug')
    .max(60, 'errors.tooLong'),
  description: z.string().trim().max(500, 'errors.tooLong'),
  visibility: z.enum(['public', 'members']),
  weekYear: z
    .string()
    .regex(/^(\d{4})?$/, 'errors.year')
    .transform((v) => (v ? Number(v) : null)),
});

export const queueSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('moderate'),
    postId: id,
    action: z.enum(['approve', 'hide', 'delete', 'warn', 'silence', 'lock']),
    reason,
    amount: z.coerce.number().int().min(0).max(365).optional(),
  }),
  z.object({
    intent: z.literal('word'),
    word: z.string().trim().min(1, 'errors.required').max(60, 'errors.tooLong'),
    action: z.enum(['block', 'hold', 'flag']),
  }),
  z.object({ intent: z.literal('unword'), wordId: id }),
  z.object({ intent: z.literal('appoint'), email: z.string().trim().email('errors.email').max(200) }),
  z.object({
    intent: z.literal('slow-category'),
    categoryId: id,
    seconds: z.coerce.number().int().min(0).max(86_400),
    reason: z.string().trim().min(1, 'community.errors.reason_required').max(500),
  }),
]);

export const prefsSchema = z.record(z.string(), z.string());

export const markReadSchema = z.object({ intent: z.literal('read-all') }).or(z.object({ intent: z.literal('read'), id }));

/** Turning web push on or off in one browser (sent by the settings page's script). */
export const pushSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('subscribe'),
    endpoint: z.string().trim().min(1).max(1000),
    p256dh: z.string().trim().min(1).max(200),
    auth: z.string().trim().min(1).max(100),
  }),
  z.object({ intent: z.literal('unsubscribe'), endpoint: z.string().trim().min(1).max(1000) }),
]);
