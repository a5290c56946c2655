import { z } from 'zod';

/** The loudspeaker announcement: the text, and the version it was edited from (0: the generated text). */
export const announcementSchema = z.object({
  text: z.string().trim().min(1, 'errors.required').max(10_000, 'errors.tooLong'),
  version: z.coerce.number().int().min(0).max(1_000_000),
});
