import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';

import { useT } from '~/i18n/i18n';

export interface Crumb {
  label: ReactNode;
  /** Omitted on the last crumb: the current page. */
  to?: string;
}

/** The trail from a section's start to this page; the last crumb is marked as current. */
export function Breadcrumb({ items }: { items: Crumb[] }) {
  const { t } = useT();
  return (
    <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
      <ol>
        {items.map((c, i) =>
          c.to ? (
            <li key={i}>
              <Link to={c.to}>{c.label}</Link>
            </li>
          ) : (
            <li key={i} aria-current="page">
              {c.label}
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}
