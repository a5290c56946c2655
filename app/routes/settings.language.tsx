import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';

import { isLocale } from '~/i18n/i18n';
import { localeCookie } from '~/i18n/i18n.server';
import { safeRedirect } from '~/lib/http.server';

export const loader = () => redirect('/');

/** Switches the site language (a plain form post: works without JavaScript). */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get('lang');
  const to = safeRedirect(form.get('redirectTo'));
  if (!isLocale(lang)) return redirect(to);
  return redirect(to, { headers: { 'Set-Cookie': localeCookie(lang) } });
}
