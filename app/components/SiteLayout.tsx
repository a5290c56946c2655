import { useLocation, useMatches } from '@remix-run/react';
import type { ReactNode } from 'react';

import { useT } from '~/i18n/i18n';
import { useRootData } from '~/root';

import { Brand } from './Brand';
import { FlashMessage } from './FlashMessage';
import { LayoutForm, LayoutLink, LayoutNavLink } from './layout-links';
import { mainNav, staffNav } from './nav';
import { OfflineNotice } from './OfflineNotice';

/** A route's `handle` may ask for the full screen (the reader), depending on its data. */
export interface LayoutHandle {
  fullScreen?: (data: unknown) => boolean;
}

export function SiteLayout({ children }: { children: ReactNode }) {
  const { t, locale } = useT();
  const data = useRootData();
  const location = useLocation();
  const matches = useMatches();
  const here = location.pathname + location.search;
  const roles = data?.roles ?? [];
  const staff = staffNav.filter((n) => !n.roles || n.roles.some((r) => roles.includes(r) || roles.includes('admin')));
  const section = [...mainNav, ...staff]
    .filter((n) => location.pathname === n.to || location.pathname.startsWith(`${n.to}/`))
    .sort((a, b) => b.to.length - a.to.length)[0];
  const fullScreen = matches.some((m) => (m.handle as LayoutHandle | undefined)?.fullScreen?.(m.data) ?? false);
  const navLists = (
    <>
      <ul>
        {mainNav.map((n) => (
          <li key={n.to}>
            <LayoutNavLink to={n.to} current={location.pathname} prefetch="intent">
              {t(n.labelKey)}
            </LayoutNavLink>
          </li>
        ))}
        {staff.map((n) => (
          <li key={n.to}>
            <LayoutNavLink to={n.to} current={location.pathname}>
              {t(n.labelKey)}
            </LayoutNavLink>
          </li>
        ))}
      </ul>
      <ul className="account-nav">
        {data?.user ? (
          <>
            <li>
              <LayoutNavLink
                to="/notifications"
                current={location.pathname}
                className="bell"
                aria-label={data.unread ? t('common.bellUnread', { count: data.unread }) : t('common.bell')}
              >
                <span aria-hidden="true">🔔</span>
                {data.unread ? (
                  <span className="bell-count" aria-hidden="true" data-testid="bell-count">
                    {data.unread}
                  </span>
                ) : null}
              </LayoutNavLink>
            </li>
            <li>
              <LayoutNavLink to="/account" current={location.pathname}>
                {data.user.displayName}
              </LayoutNavLink>
            </li>
            <li>
              <LayoutForm action="/logout" className="inline-form">
                <button type="submit" className="link-button">
                  {t('common.signOut')}
                </button>
              </LayoutForm>
            </li>
          </>
        ) : (
          <>
            <li>
              <LayoutNavLink to={`/login?redirectTo=${encodeURIComponent(here)}`} current={location.pathname}>
                {t('common.signIn')}
              </LayoutNavLink>
            </li>
            <li>
              <LayoutNavLink to="/signup" current={location.pathname} className="button small">
                {t('common.signUp')}
              </LayoutNavLink>
            </li>
          </>
        )}
      </ul>
    </>
  );
  const tools = (
    <div className="header-tools">
      <LayoutForm action="/settings/language" className="inline-form">
        <input type="hidden" name="redirectTo" value={here} />
        <input type="hidden" name="lang" value={locale === 'vi' ? 'en' : 'vi'} />
        <button type="submit" className="link-button" lang={locale === 'vi' ? 'en' : 'vi'}>
          {t('common.switchLanguage')}
        </button>
      </LayoutForm>
      <LayoutForm action="/settings/text-size" className="inline-form">
        <input type="hidden" name="redirectTo" value={here} />
        <input type="hidden" name="size" value={data?.largeText ? 'normal' : 'large'} />
        <button type="submit" className="link-button toggle" aria-pressed={data?.largeText ? 'true' : 'false'}>
          {t('common.largeText')}{' '}
          <span className="toggle-state" aria-hidden="true">
            {data?.largeText ? t('common.toggleOn') : t('common.toggleOff')}
          </span>
        </button>
      </LayoutForm>
    </div>
  );
  if (fullScreen) {
    // The reader: no site header or footer; the route shows its own thin bar.
    return (
      <>
        <a className="skip-link" href="#main">
          {t('common.skipToContent')}
        </a>
        <main id="main" tabIndex={-1} className="full-screen">
          <OfflineNotice />
          <FlashMessage flash={data?.flash ?? null} />
          {children}
        </main>
      </>
    );
  }
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Brand week={data?.brandWeek} />
          {/* One navigation: on small screens behind a menu button, a native <details> that opens
              without JavaScript; on wide screens always shown (app.css, ::details-content). */}
          <details className="site-menu" key={location.key}>
            <summary>
              <span aria-hidden="true">☰</span> {t('common.menu')}
              {section ? <span className="site-menu-here">: {t(section.labelKey)}</span> : null}
            </summary>
            <div className="site-menu-panel">
              <nav aria-label={t('common.nav.label')} className="main-nav">
                {navLists}
              </nav>
              {tools}
            </div>
          </details>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container">
        <OfflineNotice />
        <FlashMessage flash={data?.flash ?? null} />
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>{t('common.footer.about')}</p>
          <p>
            <LayoutLink to="/weeks">{t('common.nav.weeks')}</LayoutLink> · <LayoutLink to="/units">{t('common.nav.units')}</LayoutLink>
          </p>
        </div>
      </footer>
    </>
  );
}
