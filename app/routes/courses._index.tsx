import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { FilterSelect } from '~/components/Field';
import { COURSE_AUDIENCES, type CourseAudience } from '~/db/schema/courses';
import { catalogueFacets, coursesTaughtBy, listCatalogue } from '~/domain/courses/courses.server';
import { myCourses } from '~/domain/courses/progress.server';
import { hasAnyRole } from '~/domain/courses/roles.server';
import { unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { courseAudienceLabel, courseLevelLabel, courseStatusLabel } from '~/i18n/labels';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const locale = detectLocale(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 200);
  const year = Number(url.searchParams.get('year')) || undefined;
  const unitId = url.searchParams.get('unit') || undefined;
  const aud = url.searchParams.get('audience') ?? '';
  const audience = (COURSE_AUDIENCES as readonly string[]).includes(aud) ? (aud as CourseAudience) : undefined;
  const user = await getUser(request);
  const [courses, facets, mine, teaching, isTeacher] = await Promise.all([
    listCatalogue(db, { q, year, unitId, audience }),
    catalogueFacets(db),
    user ? myCourses(db, user.id) : Promise.resolve([]),
    user ? coursesTaughtBy(db, user.id) : Promise.resolve([]),
    user ? hasAnyRole(db, user.id, ['teacher', 'organiser']) : Promise.resolve(false),
  ]);
  return json({
    title: getT(locale)('courses.catalogue.title'),
    filters: { q, year: year ?? '', unit: unitId ?? '', audience: audience ?? '' },
    courses: courses.map((c) => ({ ...c, unit: unitName({ name: c.unit_name, name_en: c.unit_name_en }, locale) })),
    units: facets.units.map((u) => ({ id: u.id, name: unitName(u, locale) })),
    years: facets.years,
    mine: mine.map((m) => ({
      slug: m.slug,
      title: m.title,
      percent: m.progress.percent,
      next: m.progress.nextLessonId,
      completed: !!m.completed_at,
    })),
    teaching,
    isTeacher,
  });
}

export default function Catalogue() {
  const { filters, courses, units, years, mine, teaching, isTeacher } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('courses.catalogue.title')}</h1>
      <p className="muted">{t('courses.catalogue.intro')}</p>
      {mine.length ? (
        <section aria-labelledby="mine-h" className="card">
          <h2 id="mine-h">{t('courses.catalogue.mine')}</h2>
          <ul className="course-mine">
            {mine.map((m) => (
              <li key={m.slug}>
                <Link to={`/courses/${m.slug}`}>{m.title}</Link>{' '}
                <progress max={100} value={m.percent} aria-label={t('courses.progress.ofCourse', { title: m.title })} /> {m.percent}%{' '}
                {m.completed ? (
                  <span className="badge">{t('courses.progress.completed')}</span>
                ) : m.next ? (
                  <Link className="button small" to={`/courses/${m.slug}/lessons/${m.next}`}>
                    {t('courses.continue')}
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
          <p>
            <Link to="/certificates">{t('courses.certificate.mine')}</Link>
          </p>
        </section>
      ) : null}
      {isTeacher || teaching.length ? (
        <section aria-labelledby="teach-h">
          <h2 id="teach-h">{t('courses.catalogue.teaching')}</h2>
          <ul>
            {teaching.map((c) => (
              <li key={c.id}>
                <Link to={`/courses/${c.slug}/edit`}>{c.title}</Link>{' '}
                <span className={`badge ${c.status === 'draft' ? 'draft' : ''}`}>{t(courseStatusLabel[c.status])}</span>
              </li>
            ))}
          </ul>
          {isTeacher ? (
            <Link to="/courses/new" className="button">
              {t('courses.new.title')}
            </Link>
          ) : null}
        </section>
      ) : null}
      <Form method="get" className="course-filters" role="search" aria-label={t('courses.catalogue.searchLabel')}>
        <div className="field">
          <label htmlFor="q">{t('courses.catalogue.search')}</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} placeholder={t('courses.catalogue.searchPlaceholder')} />
        </div>
        <FilterSelect
          id="year"
          name="year"
          label={t('courses.catalogue.week')}
          value={String(filters.year)}
          anyLabel={t('courses.catalogue.all')}
          options={years.map((y) => ({ value: y, label: y }))}
        />
        <FilterSelect
          id="unit"
          name="unit"
          label={t('courses.catalogue.unit')}
          value={filters.unit}
          anyLabel={t('courses.catalogue.all')}
          options={units.map((u) => ({ value: u.id, label: u.name }))}
        />
        <FilterSelect
          id="audience"
          name="audience"
          label={t('courses.catalogue.audience')}
          value={filters.audience}
          anyLabel={t('courses.catalogue.all')}
          options={COURSE_AUDIENCES.map((a) => ({ value: a, label: t(courseAudienceLabel[a]) }))}
        />
        <div className="actions">
          <button type="submit" className="primary">
            {t('courses.catalogue.filter')}
          </button>
        </div>
      </Form>
      <p role="status">{t('courses.catalogue.count', { count: courses.length })}</p>
      <ul className="grid course-grid">
        {courses.map((c) => (
          <li key={c.id} className="card course-card">
            <h2>
              <Link to={`/courses/${c.slug}`}>{c.title}</Link>
            </h2>
            <p>{c.summary}</p>
            <p className="muted">
              {c.unit}
              {c.week_year ? ` · ${t('courses.weekOf', { year: c.week_year })}` : ''}
            </p>
            <p>
              <span className="badge">{t(courseAudienceLabel[c.audience])}</span>{' '}
              <span className="badge">{t(courseLevelLabel[c.level])}</span>{' '}
              <span className="badge">{t('courses.hours', { count: c.est_hours })}</span>{' '}
              <span className="badge">{t('courses.lessonCount', { count: c.lesson_count })}</span>
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
