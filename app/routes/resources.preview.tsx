import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';

import { requireUser } from '~/lib/auth.server';
import { renderMarkdown } from '~/lib/markdown.server';

/** Live Markdown preview for the resource form (the same sanitiser as the published page). */
export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const form = await request.formData();
  const md = String(form.get('body_md') ?? '').slice(0, 200_000);
  return json({ html: md.trim() ? renderMarkdown(md) : '' });
}
