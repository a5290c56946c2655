import type { SubscribeError } from '~/domain/notifications/push.server';
import { defineFailures } from '~/lib/result-http.server';

/** Turning push on in a browser (app/routes/notifications.push.tsx). */
export const pushFailures = defineFailures<SubscribeError>({
  push_off: { message: 'community.push.errors.push_off', status: 404 },
  bad_endpoint: { message: 'community.push.errors.bad_endpoint', status: 400 },
  bad_keys: { message: 'community.push.errors.bad_keys', status: 400 },
});
