import { z } from 'zod';

const cfi = z.string().trim().min(8).max(2000).startsWith('epubcfi(');

/** What the reader sends: the position, a bookmark, a highlight with its note, or a deletion. */
export const readerSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('position'), cfi, label: z.string().max(300).optional() }),
  z.object({ intent: z.literal('bookmark'), cfi, excerpt: z.string().max(500).optional() }),
  z.object({ intent: z.literal('highlight'), cfi, excerpt: z.string().max(2000).optional(), note: z.string().max(2000).optional() }),
  z.object({ intent: z.literal('note'), id: z.string().min(1).max(40), note: z.string().max(2000) }),
  z.object({ intent: z.literal('delete'), id: z.string().min(1).max(40) }),
]);
