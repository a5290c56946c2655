/**
 * The site layout's links and forms, cheap on the server (issue 12: the signed-in layout's CPU).
 *
 * Every page's header and footer hold ~15 Remix `<NavLink>`/`<Link>`s and 3 `<Form>`s. On the
 * server each of them resolved its path against the route tree, read the router's navigation
 * state and set up its click, prefetch and submit handlers (a dozen hooks per link) — work whose
 * only server-side product is an `<a href>` or a `<form action>`, and which made the layout most of
 * an empty signed-in page's render. Here, on the server, each one writes the very same element
 * directly (same attributes, same order: tests/unit/layout-links.test.ts compares them with the
 * Remix components for every link of the layout); in the browser — hydration and every render
 * after — they ARE the Remix components, so client-side navigation, prefetching on intent, the
 * active link after a navigation and enhanced form posts work as before. Without JavaScript the
 * page is the same HTML.
 *
 * Only for same-site absolute paths made of plain characters (`/weeks`, `/login?redirectTo=…`),
 * whose href is the path itself; anything else is handed to the Remix component on the server too.
 */
import { Form, Link, NavLink } from '@remix-run/react';
import { createContext, type ReactNode, useContext } from 'react';

const ON_SERVER = typeof document === 'undefined';

/** Tests: true renders the Remix components on the server too (the reference the cheap ones must equal). */
export const RouterLinksOnServer = createContext(false);

/** A path whose href is itself: no `//`, no dot segments, no characters a URL would encode in the pathname. */
const PLAIN_PATH = /^\/(?:[A-Za-z0-9_~-]+(?:\/[A-Za-z0-9_~-]+)*)?(?:\?[^#\s]*)?$/;

function plain(to: string): boolean {
  return ON_SERVER && PLAIN_PATH.test(to);
}

function pathOf(to: string): string {
  const q = to.indexOf('?');
  return q < 0 ? to : to.slice(0, q);
}

/** react-router's NavLink rule (case-insensitive, `end` false): the path itself or below it. */
function isActive(to: string, currentPathname: string): boolean {
  const here = currentPathname.toLowerCase();
  const target = pathOf(to).toLowerCase();
  return here === target || (here.startsWith(target) && here.charAt(target.length) === '/');
}

interface NavItemProps {
  to: string;
  /** The page's pathname (the layout's `useLocation()`), for the active state. */
  current: string;
  className?: string;
  prefetch?: 'intent';
  'aria-label'?: string;
  children: ReactNode;
}

/** A `<NavLink>` of the layout. */
export function LayoutNavLink({ to, current, className, prefetch, children, ...rest }: NavItemProps) {
  const full = useContext(RouterLinksOnServer);
  if (full || !plain(to))
    return (
      <NavLink to={to} className={className} prefetch={prefetch} {...rest}>
        {children}
      </NavLink>
    );
  const active = isActive(to, current);
  return (
    <a
      {...rest}
      data-discover="true"
      aria-current={active ? 'page' : undefined}
      className={[className ?? '', active ? 'active' : null].filter(Boolean).join(' ')}
      href={to}
    >
      {children}
    </a>
  );
}

/** A `<Link>` of the layout. */
export function LayoutLink({ to, className, children }: { to: string; className?: string; children: ReactNode }) {
  const full = useContext(RouterLinksOnServer);
  if (full || !plain(to))
    return (
      <Link to={to} className={className}>
        {children}
      </Link>
    );
  return (
    <a className={className} data-discover="true" href={to}>
      {children}
    </a>
  );
}

/** A `<Form method="post">` of the layout posting to another route. */
export function LayoutForm({ action, className, children }: { action: string; className?: string; children: ReactNode }) {
  const full = useContext(RouterLinksOnServer);
  if (full || !plain(action) || action.includes('?'))
    return (
      <Form method="post" action={action} className={className}>
        {children}
      </Form>
    );
  return (
    <form method="post" action={action} className={className} data-discover="true">
      {children}
    </form>
  );
}
