import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';

import { messagesFromStore } from '~/i18n/bundles';
import { I18nProvider, type Locale, useT } from '~/i18n/i18n';
import { errorPageText } from '~/i18n/labels';
import enErrors from '~/locales/en/errors.json';
import viErrors from '~/locales/vi/errors.json';
import { useRootData } from '~/root';

import { SiteLayout } from './SiteLayout';

function statusOf(error: unknown): number {
  if (isRouteErrorResponse(error)) return error.status;
  return 500;
}

function ErrorContent({ status }: { status: number }) {
  const { t } = useT();
  const key =
    status === 404 ? 'notFound' : status === 403 ? 'forbidden' : status === 401 ? 'forbidden' : status === 400 ? 'badRequest' : 'server';
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">{status}</p>
      <h1 id="error-title">{t(errorPageText[key].title)}</h1>
      <p>{t(errorPageText[key].body)}</p>
      <p>
        <Link to="/" className="button">
          {t('errors.page.home')}
        </Link>
      </p>
    </section>
  );
}

/** One error page for every route: 404, 403 and 500 in the reader's language, never a stack trace. */
export function GeneralErrorBoundary({ withLayout = false }: { withLayout?: boolean }) {
  const error = useRouteError();
  const data = useRootData();
  const status = statusOf(error);
  if (data && !withLayout) return <ErrorContent status={status} />;
  if (data) {
    return (
      <I18nProvider locale={data.locale} messages={messagesFromStore(data.i18n.locale, data.i18n.namespaces)}>
        <SiteLayout>
          <ErrorContent status={status} />
        </SiteLayout>
      </I18nProvider>
    );
  }
  // The root loader itself failed: only the error strings are at hand.
  const locale: Locale = typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'vi';
  return (
    <I18nProvider locale={locale} messages={{ errors: locale === 'en' ? enErrors : viErrors }}>
      <main id="main" className="container">
        <ErrorContent status={status} />
      </main>
    </I18nProvider>
  );
}
