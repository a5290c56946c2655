import { Link } from '@remix-run/react';

import { useT } from '~/i18n/i18n';
import { labelText, unitKindLabel } from '~/i18n/labels';
import { localName } from '~/lib/names';
import { compareVi } from '~/lib/unit-tree';

export interface TreeNode {
  id: string;
  slug: string;
  name: string;
  name_en: string | null;
  kind: string;
  hasPlan?: boolean;
  planCount?: number;
  children: TreeNode[];
}

/** A nested list of units; `href` decides where a node links (null: plain text). */
export function UnitTree({
  nodes,
  href,
  count,
}: {
  nodes: TreeNode[];
  href: (n: TreeNode) => string | null;
  count?: (n: TreeNode) => string;
}) {
  const { t, locale } = useT();
  const label = (n: TreeNode) => localName(n, locale);
  // Children under their parent, siblings in Vietnamese alphabetical order ("Đ" after "D").
  const sorted = [...nodes].sort((a, b) => compareVi(label(a), label(b)));
  return (
    <ul className="tree">
      {sorted.map((n) => {
        const to = href(n);
        const name = label(n);
        return (
          <li key={n.id}>
            {to ? <Link to={to}>{name}</Link> : <span>{name}</span>}{' '}
            <span className="muted">
              · {labelText(t, unitKindLabel, n.kind)}
              {count ? ` · ${count(n)}` : ''}
            </span>
            {n.children.length ? <UnitTree nodes={n.children} href={href} count={count} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
