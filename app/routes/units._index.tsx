import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { type TreeNode, UnitTree } from '~/components/UnitTree';
import { listUnits, treeOnDate } from '~/domain/units.server';
import { mayReorganise } from '~/domain/units/access.server';
import { parseDay } from '~/forms/units';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  // ?on=dd/MM/yyyy (or yyyy-MM-dd): the tree in force on that day; otherwise the current tree.
  const onText = new URL(request.url).searchParams.get('on') ?? '';
  const on = onText ? parseDay(onText) : null;
  const units = on ? (await treeOnDate(db, on)).map((u) => ({ ...u, parent_id: u.parent_on })) : await listUnits(db);
  const nodes = new Map<string, TreeNode>();
  const roots: TreeNode[] = [];
  for (const u of units) {
    const n: TreeNode = { id: u.id, slug: u.slug, name: u.name, name_en: u.name_en, kind: u.kind, children: [] };
    nodes.set(u.id, n);
    const p = u.parent_id ? nodes.get(u.parent_id) : undefined;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  const user = await getUser(request);
  return json({
    title: getT(detectLocale(request))('common.nav.units'),
    roots,
    on,
    onText,
    badDate: !!onText && !on,
    canReorganise: user ? await mayReorganise(db, user.id) : false,
  });
}

export default function Units() {
  const { roots, on, onText, badDate, canReorganise } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('common.nav.units')}</h1>
      <p className="muted">{t('common.unitsIntro')}</p>
      {canReorganise ? (
        <p>
          <Link to="/units/reorganise">{t('units.reorganise.title')}</Link> ·{' '}
          <Link to="/units/import">{t('units.reorganise.importLink')}</Link>
        </p>
      ) : null}
      <Form method="get" className="inline-form">
        <div className={`field${badDate ? ' has-error' : ''}`}>
          <label htmlFor="tree-on">{t('units.history.treeOn')}</label>
          <input
            id="tree-on"
            name="on"
            type="text"
            inputMode="numeric"
            placeholder="dd/MM/yyyy"
            defaultValue={onText}
            aria-invalid={badDate ? true : undefined}
            aria-describedby={badDate ? 'tree-on-error' : undefined}
          />
          {badDate ? (
            <p id="tree-on-error" className="field-error">
              {t('errors.date')}
            </p>
          ) : null}
        </div>
        <button type="submit">{t('units.history.show')}</button>
      </Form>
      <h2>{on ? t('units.history.treeOnTitle', { date: formatDate(on) }) : t('units.history.current')}</h2>
      <UnitTree nodes={roots} href={(n) => `/units/${n.slug}`} />
    </>
  );
}
