import { z } from 'zod';

const cfi = z.string().trim().min(8).max(2000).startsWith('epubcfi(');
/** When the reader did it (ISO-8601 UTC): a reader that was offline sends its queue later. */
const at = z.iso.datetime().optional();
/** A reader-made id for an annotation, so that a resent request adds it once. */
const ref = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/)
  .optional();

/** What the reader sends: the position, a bookmark, a highlight with its note, or a deletion. */
export const readerSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('position'), cfi, label: z.string().max(300).optional(), at }),
  z.object({ intent: z.literal('bookmark'), cfi, excerpt: z.string().max(500).optional(), at, ref }),
  z.object({
    intent: z.literal('highlight'),
    cfi,
    excerpt: z.string().max(2000).optional(),
    note: z.string().max(2000).optional(),
    at,
    ref,
  }),
  z.object({ intent: z.literal('note'), id: z.string().min(1).max(40), note: z.string().max(2000) }),
  z.object({ intent: z.literal('delete'), id: z.string().min(1).max(40) }),
]);

/** The reader's display settings, remembered per user on the server. */
export const readerSettingsSchema = z.object({
  fontSize: z.coerce.number().int().min(80).max(200),
  theme: z.enum(['light', 'sepia', 'dark']),
  lineHeight: z.coerce.number().int().min(120).max(200),
  at,
});
