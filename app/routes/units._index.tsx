import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

import { type TreeNode, UnitTree } from '~/components/UnitTree';
import { listUnits } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const units = await listUnits(getDb());
  const nodes = new Map<string, TreeNode>();
  const roots: TreeNode[] = [];
  for (const u of units) {
    const n: TreeNode = { id: u.id, slug: u.slug, name: u.name, name_en: u.name_en, kind: u.kind, children: [] };
    nodes.set(u.id, n);
    const p = u.parent_id ? nodes.get(u.parent_id) : undefined;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  return json({ title: getT(detectLocale(request))('common.nav.units'), roots });
}

export default function Units() {
  const { roots } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('common.nav.units')}</h1>
      <p className="muted">{t('common.unitsIntro')}</p>
      <UnitTree nodes={roots} href={(n) => `/units/${n.slug}`} />
    </>
  );
}
