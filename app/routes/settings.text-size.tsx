import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';

import { safeRedirect } from '~/lib/http.server';

export const loader = () => redirect('/');

/** Large type for older readers, remembered for a year. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const size = form.get('size') === 'large' ? 'large' : 'normal';
  return redirect(safeRedirect(form.get('redirectTo')), {
    headers: { 'Set-Cookie': `textsize=${size}; Path=/; Max-Age=31536000; SameSite=Lax` },
  });
}
