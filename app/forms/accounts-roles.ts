import { z } from 'zod';

import { grantSchema } from './roles';

/** The roles page (`/admin/roles`): grant a role, or revoke one grant. */
export const rolesAdminSchema = z.discriminatedUnion('intent', [
  grantSchema.extend({ intent: z.literal('grant') }),
  z.object({ intent: z.literal('revoke'), grantId: z.string().trim().min(1, 'errors.invalid').max(40, 'errors.invalid') }),
]);
export type RolesAdminInput = z.infer<typeof rolesAdminSchema>;
