import type { LoaderFunctionArgs } from '@remix-run/node';

import { ACQ_TYPE, acquisitionFeed } from '~/domain/library/opds.server';
import { feedContext, xmlResponse } from '~/domain/library/opds-http.server';
import { getUnitBySlug, LIBRARY_KINDS } from '~/domain/units.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';

/** One library's catalogue, with its copies and queue on each borrow link. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const unit = await getUnitBySlug(db, params.slug ?? '');
  if (!unit || !LIBRARY_KINDS.includes(unit.kind)) notFound();
  const { base, text, page } = feedContext(request);
  const name = localName(unit, text.locale);
  return xmlResponse(await acquisitionFeed(db, base, { kind: 'library', libraryId: unit.id, slug: unit.slug, name }, page, text), ACQ_TYPE);
}
