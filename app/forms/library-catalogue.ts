import { z } from 'zod';

import { LIB_AUDIENCES } from '~/db/schema/library';

/** The catalogue's GET filters; anything invalid is simply ignored. */
export const catalogueFilterSchema = z.object({
  library: z.string().max(100).optional().catch(undefined),
  subject: z.string().max(100).optional().catch(undefined),
  audience: z.enum(LIB_AUDIENCES).optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});
