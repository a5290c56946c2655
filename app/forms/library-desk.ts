import { z } from 'zod';

import { DESK_VIEWS } from '~/domain/library/desk.server';

/** The librarian desk's GET filters; anything invalid falls back to "all". */
export const deskFilterSchema = z.object({
  library: z.string().trim().max(100).optional().catch(undefined),
  show: z.enum(DESK_VIEWS).optional().catch(undefined),
});
