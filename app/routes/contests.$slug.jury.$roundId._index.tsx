import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { asJuryPageView, juryPageView, juryQueueData } from '~/components/contests/jury-queue.server';
import { type JuryQueueData, JuryQueueList } from '~/components/contests/JuryQueueList';
import { juryQueuePage } from '~/domain/contests/entries-pages.server';
import { useT } from '~/i18n/i18n';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { shellRegion, shellView } from '~/lib/shell-identity.server';
import { type RegionData, regionSlot } from '~/lib/shell-region';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.round.title} · ${data.contest.title}` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // The judge's queue is a personal region of the page's shared render (app/lib/page-shell.server.ts,
  // ~/components/contests/jury-queue.server.ts): a shared render's stand-in gets the page as its
  // variant read it (for a judge of the round) and a placeholder in place of the queue.
  const slot = shellRegion(request);
  const view = asJuryPageView(shellView(request));
  if (slot && view) return json({ ...view, queue: slot as RegionData<JuryQueueData> });
  const page = Number(new URL(request.url).searchParams.get('page')) || 1;
  const q = await juryQueuePage(getDb(), params.slug!, params.roundId!, user.id, page);
  if (q.status === 'missing') notFound();
  return json({ ...juryPageView(q), queue: juryQueueData(q) as RegionData<JuryQueueData> });
}

export default function JuryQueue() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  return (
    <>
      <Breadcrumb
        items={[{ to: '/contests', label: t('contests.list.title') }, { to: base, label: d.contest.title }, { label: d.round.title }]}
      />
      <h1>{t('contests.entries.jury.title', { round: d.round.title })}</h1>
      <p>{t('contests.entries.jury.blind')}</p>
      {/* The judge's own queue (~/components/contests/JuryQueueList.tsx): in a shared render's stand-in, its slot. */}
      {typeof d.queue === 'string' ? regionSlot(d.queue, 0) : <JuryQueueList base={`${base}/jury/${d.round.id}`} q={d.queue} />}
    </>
  );
}
