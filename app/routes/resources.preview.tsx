import type { ActionFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';

import { markdownPreviewSchema } from '~/forms/oer-resource';
import { requireUser } from '~/lib/auth.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { renderMarkdown } from '~/lib/markdown.server';

/** Live Markdown preview for the resource form (the same sanitiser as the published page). */
export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const r = parseForm(markdownPreviewSchema, await request.formData());
  if (!r.ok) return badRequest({ html: '', errors: r.errors });
  return json({ html: r.data.body_md.trim() ? renderMarkdown(r.data.body_md) : '' });
}
