import { Link } from '@remix-run/react';

/** Numbered pages of a list of threads or posts (`?page=N`), shown when there is more than one. */
export function Pager({ page, pages, label }: { page: number; pages: number; label: string }) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={label}>
      <ul className="pager">
        {Array.from({ length: pages }, (_, i) => i + 1).map((p) => (
          <li key={p}>
            <Link to={`?page=${p}`} aria-current={p === page ? 'page' : undefined}>
              {p}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
