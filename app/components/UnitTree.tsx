import { Link } from '@remix-run/react';
import { useT } from '~/i18n/i18n';

export interface TreeNode {
  id: string;
  slug: string;
  name: string;
  name_en: string | null;
  kind: string;
  hasPlan?: boolean;
  children: TreeNode[];
}

/** A nested list of units; `href` decides where a node links (null: plain text). */
export function UnitTree({ nodes, href }: { nodes: TreeNode[]; href: (n: TreeNode) => string | null }) {
  const { t, locale } = useT();
  return (
    <ul className="tree">
      {nodes.map((n) => {
        const to = href(n);
        const name = locale === 'en' && n.name_en ? n.name_en : n.name;
        return (
          <li key={n.id}>
            {to ? <Link to={to}>{name}</Link> : <span>{name}</span>} <span className="muted">· {t(`common.unitKinds.${n.kind}`)}</span>
            {n.children.length ? <UnitTree nodes={n.children} href={href} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
