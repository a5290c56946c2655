import { z } from 'zod';

import { ROLES } from '~/db/schema';

export const grantSchema = z.object({
  email: z.string().trim().min(1, 'errors.required').email('errors.email'),
  unitId: z.string().min(1, 'errors.choose'),
  role: z.enum(ROLES, { message: 'errors.choose' }),
});
