import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

import { ThreadView } from '~/components/discussion/ThreadView';
import { forumThreadPage } from '~/domain/forums/pages.server';
import { useT } from '~/i18n/i18n';
import { getUser, requireUser } from '~/lib/auth.server';
import { knownReplyIn, threadFormAction } from '~/lib/community-http.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.thread.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const url = new URL(request.url);
  const d = await forumThreadPage(getDb(), user?.id ?? null, params.id ?? '', {
    page: Number(url.searchParams.get('page')) || undefined,
    post: Number(url.searchParams.get('post')) || undefined,
  });
  if (!d) notFound();
  return json({ ...d, signedIn: !!user });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = params.id ?? '';
  // A reply already run before Express (app/lib/community-reply.server.ts) and refused: answered here, not posted again.
  return threadFormAction(request, getDb(), user.id, id, await request.formData(), knownReplyIn(context, user.id, id));
}

const postLinks = { edit: (id: string) => `/forums/p/${id}/edit`, history: (id: string) => `/forums/p/${id}/history` };

export default function ThreadPage() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <ThreadView
      d={d}
      crumbs={[
        { to: '/forums', label: t('community.forums.title') },
        ...(d.category ? [{ to: `/forums/c/${d.category.slug}`, label: d.category.name }] : []),
      ]}
      postLinks={postLinks}
    />
  );
}
