import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useEffect } from 'react';

import { BorrowToRead } from '~/components/library/BorrowToRead';
import { removeOfflineBook } from '~/components/library/offline-store';
import { Reader } from '~/components/library/Reader';
import type { LayoutHandle } from '~/components/SiteLayout';
import { readerPage } from '~/domain/library/reader.server';
import { recordOpened } from '~/domain/library/reading.server';
import { detectLocale } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { pickLocal } from '~/lib/names';
import { useRootData } from '~/root';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.book.title }] : []);
/** The reader fills the screen (SiteLayout leaves out the site header and footer); "borrow to read" does not. */
export const handle: LayoutHandle = { fullScreen: (data) => (data as { kind?: string } | undefined)?.kind === 'read' };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await getUser(request);
  const page = await readerPage(db, params.slug ?? '', user?.id ?? null);
  if (page.kind === 'missing') notFound();
  const headers = { 'Cache-Control': 'private, no-store' };
  if (page.kind === 'borrow') {
    const locale = detectLocale(request);
    return json(
      {
        ...page,
        availability: page.availability
          .filter((a) => !a.openAccess)
          .map((a) => ({ ...a, libraryName: pickLocal(a.libraryName, a.libraryNameEn, locale) })),
      },
      { headers },
    );
  }
  if (user) await recordOpened(db, user.id, page.titleId);
  const { titleId: _titleId, ...rest } = page;
  return json({ ...rest, fileUrl: `/library/${page.book.slug}/file` }, { headers });
}

export default function ReaderRoute() {
  const d = useLoaderData<typeof loader>();
  const userId = useRootData()?.user?.id ?? null;
  const slug = d.book.slug;
  const borrow = d.kind === 'borrow';
  // The loan has ended (or was never there): an offline copy on this device goes too.
  useEffect(() => {
    if (borrow && userId) void removeOfflineBook(userId, slug);
  }, [borrow, userId, slug]);
  if (d.kind === 'borrow') return <BorrowToRead d={d} />;
  return <Reader d={d} userId={userId} />;
}
