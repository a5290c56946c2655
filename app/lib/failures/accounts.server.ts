/** Accounts and roles: each domain failure code → the message the user sees and the HTTP status, in one place. */
import type { RolesAdminError } from '~/domain/role-actions.server';
import { defineFailures } from '~/lib/result-http.server';

export const rolesFailures = defineFailures<RolesAdminError>({
  forbidden: { message: 'errors.page.forbidden.title', status: 403 },
  unknown_user: { message: 'accounts.roles.noSuchUser', status: 400 },
});
