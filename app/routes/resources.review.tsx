import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { TextArea } from '~/components/Field';
import { type DiffField, pendingDiff, pendingEditQueue, reviewQueue } from '~/domain/oer/resources.server';
import { unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { resourceKindLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** Submitted resources, and edits of published ones (with what they change), in the units this organiser or librarian reviews. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = detectLocale(request);
  const db = getDb();
  const [rows, edits] = await Promise.all([reviewQueue(db, user.id), pendingEditQueue(db, user.id)]);
  const diffs = await Promise.all(edits.map((e) => pendingDiff(db, e.id)));
  return json({
    title: getT(locale)('oer.reviewQueue'),
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      at: r.updated_at,
      unit: unitName({ name: r.unit_name, name_en: r.unit_name_en }, locale),
      author: r.author_name,
    })),
    edits: edits.map((e, i) => ({
      id: e.id,
      title: e.title,
      at: e.created_at,
      unit: unitName({ name: e.unit_name, name_en: e.unit_name_en }, locale),
      author: e.author_name,
      changes: diffs[i] ?? [],
    })),
  });
}

const FIELD_KEYS = {
  title: 'oer.diffFields.title',
  summary: 'oer.diffFields.summary',
  authors: 'oer.diffFields.authors',
  unit_id: 'oer.diffFields.unit_id',
  kind: 'oer.diffFields.kind',
  subject: 'oer.diffFields.subject',
  level: 'oer.diffFields.level',
  language: 'oer.diffFields.language',
  licence: 'oer.diffFields.licence',
  rights_holder: 'oer.diffFields.rights_holder',
  duration_seconds: 'oer.diffFields.duration_seconds',
  page_count: 'oer.diffFields.page_count',
  body_md: 'oer.diffFields.body_md',
  hls_url: 'oer.diffFields.hls_url',
  external_url: 'oer.diffFields.external_url',
  chapters: 'oer.diffFields.chapters',
  years: 'oer.diffFields.years',
  media_name: 'oer.diffFields.media_name',
  captions_key: 'oer.diffFields.captions_key',
  thumbnail_key: 'oer.diffFields.thumbnail_key',
} as const satisfies Record<DiffField, string>;

export default function ReviewQueue() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('oer.reviewQueue')}</h1>
      {d.rows.length === 0 && d.edits.length === 0 ? <p className="muted">{t('oer.noResources')}</p> : null}
      {d.rows.length ? (
        <ul>
          {d.rows.map((r) => (
            <li key={r.id}>
              <Link to={`/resources/${r.id}`}>{r.title}</Link> — {t(resourceKindLabel[r.kind])}, {r.author}, {r.unit} ({formatDate(r.at)})
            </li>
          ))}
        </ul>
      ) : null}
      {d.edits.length ? (
        <section aria-labelledby="pending-edits">
          <h2 id="pending-edits">{t('oer.pendingEdits')}</h2>
          <p className="muted">{t('oer.pendingEditsIntro')}</p>
          {d.edits.map((e) => (
            <article key={e.id} className="card pending-edit">
              <h3>
                <Link to={`/resources/${e.id}`}>{e.title}</Link>
              </h3>
              <p className="muted">
                {t('oer.pendingEditBy', { name: e.author, date: formatDate(e.at) })} — {e.unit}
              </p>
              <div className="table-scroll" role="region" aria-label={t('oer.diff.caption', { title: e.title })}>
                <table className="data">
                  <caption>{t('oer.diff.caption', { title: e.title })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('oer.diff.field')}</th>
                      <th scope="col">{t('oer.diff.before')}</th>
                      <th scope="col">{t('oer.diff.after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.changes.map((c) => (
                      <tr key={c.field}>
                        <th scope="row">{t(FIELD_KEYS[c.field])}</th>
                        <td>
                          <del>{c.before}</del>
                        </td>
                        <td>
                          <ins>{c.after}</ins>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Form method="post" action={`/resources/${e.id}`}>
                <TextArea name="comment" label={t('oer.actions.comment')} hint={t('oer.actions.commentHint')} rows={2} />
                <div className="actions">
                  <button type="submit" name="intent" value="approve-edit" className="primary">
                    {t('oer.actions.approveEdit')}
                  </button>
                  <button type="submit" name="intent" value="reject-edit" className="secondary">
                    {t('oer.actions.rejectEdit')}
                  </button>
                </div>
              </Form>
            </article>
          ))}
        </section>
      ) : null}
    </>
  );
}
