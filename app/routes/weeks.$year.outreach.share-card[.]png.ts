import type { LoaderFunctionArgs } from '@remix-run/node';

import { weekKitAccess } from '~/domain/outreach/access.server';
import { cardInputFor } from '~/domain/outreach/kit.server';
import { shareCardPng } from '~/domain/outreach/share-card.server';
import { getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { pngResponse } from '~/lib/outreach-http.server';

/** The Week's own share card (1200×630 PNG): `?lang=en` for the English card. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const a = await weekKitAccess(getDb(), Number(params.year), null);
  if (a.status !== 'ok') notFound();
  const locale = new URL(request.url).searchParams.get('lang') === 'en' ? 'en' : 'vi';
  const t = getT(locale);
  const card = await shareCardPng(
    cardInputFor({ week: a.week, unit: null }, locale, {
      eyebrow: t('outreach.card.eyebrow', { year: a.week.year }),
      siteName: t('outreach.card.site'),
    }),
  );
  return pngResponse(request, card);
}
