import type { LoaderFunctionArgs } from '@remix-run/node';

import { attachmentFile } from '~/domain/reports/attachments.server';
import { reportAccessBySlug } from '~/domain/reports/view.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import { readRangeStream, statBlob } from '~/lib/storage/index.server';

/**
 * Downloads one attachment of a unit's report, for whoever may read that report (the area's
 * access module: the unit's own organisers and those above it in the Week's tree — never a
 * sibling). Always a download (never shown inline on this site), under the name it was uploaded with.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const year = Number(params.year);
  if (!Number.isInteger(year)) notFound();
  const a = await reportAccessBySlug(db, year, params.form ?? '', params.unit ?? '', user.id);
  if (a.status === 'missing') notFound();
  if (a.status === 'forbidden') forbidden();
  const f = await attachmentFile(db, a, params.id ?? '');
  if (!f) notFound();
  const st = await statBlob(f.storage_key);
  if (!st) notFound();
  const ascii = f.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new Response(readRangeStream(f.storage_key), {
    headers: {
      'Content-Type': f.mime,
      'Content-Length': String(st.size),
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
