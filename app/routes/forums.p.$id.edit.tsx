import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Failure } from '~/components/community/Failure';
import { TextArea } from '~/components/Field';
import { editablePost, editPost } from '~/domain/discussion/posts.server';
import { editPostSchema } from '~/forms/community';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { clientIp, requireUser } from '~/lib/auth.server';
import { communityFailures } from '~/lib/community-http.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { failure } from '~/lib/result-http.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const p = await editablePost(getDb(), user.id, params.id ?? '');
  if (!p) notFound();
  return json({ title: getT(detectLocale(request))('community.post.editTitle', { title: p.threadTitle }), post: p });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(editPostSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors, values: r.values });
  const e = await editPost(getDb(), { userId: user.id, ip: clientIp(request) }, params.id ?? '', r.data.body);
  if (!e.ok) return failure(communityFailures, e, r.values);
  return redirectWithFlash(e.value.url, { message: 'community.flash.edited' });
}

export default function EditPost() {
  const { title, post } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const values: Record<string, string> = a?.values ?? {};
  return (
    <>
      <h1>{title}</h1>
      <Form method="post" className="card" noValidate>
        <Failure message={a && 'message' in a ? a.message : null} params={a && 'params' in a ? a.params : undefined} />
        <TextArea
          name="body"
          label={t('community.thread.bodyLabel')}
          hint={t('community.thread.bodyHint')}
          defaultValue={values.body ?? post.body}
          error={a && 'errors' in a ? a.errors.body : undefined}
          rows={10}
          required
        />
        <p className="actions">
          <button type="submit" className="primary">
            {t('community.post.save')}
          </button>
        </p>
      </Form>
    </>
  );
}
