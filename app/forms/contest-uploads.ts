import { z } from 'zod';

import { submitSchema } from './contest-entries';

/**
 * The submit form of a contest entry with an optional finished resumable upload (its tus id, set by
 * the page's script after the upload); without it the form's own file field is used.
 */
export const submitWithUploadSchema = submitSchema.extend({
  upload_id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{0,100}$/, 'errors.invalid')
    .optional()
    .default(''),
});
