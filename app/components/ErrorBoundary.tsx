import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';

import { messagesFromStore } from '~/i18n/bundles';
import { I18nProvider, type Locale, useT } from '~/i18n/i18n';
import { errorPageText } from '~/i18n/labels-core';
import { useNonce } from '~/lib/nonce';
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
  // The root loader itself failed: no translation scripts were listed, so the page carries the
  // error strings itself (from the server's translation store; `errors` is in every page's
  // bundles, so after a client-side navigation the browser's store has them already). Not
  // bundled: that put both languages' error files in every page's first-load JavaScript.
  const locale: Locale = typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'vi';
  return <RootFailed locale={locale} status={status} />;
}

function RootFailed({ locale, status }: { locale: Locale; status: number }) {
  const nonce = useNonce();
  const messages = messagesFromStore(locale, ['errors']);
  const script = `(self.__llwI18n=self.__llwI18n||{})[${JSON.stringify(`${locale}/errors`)}]=${JSON.stringify(messages.errors ?? {}).replace(/</g, '\\u003c')};`;
  return (
    <I18nProvider locale={locale} messages={messages}>
      {/* suppressHydrationWarning: browsers hide the nonce attribute from the DOM after parsing. */}
      <script nonce={nonce || undefined} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: script }} />
      <main id="main" className="container">
        <ErrorContent status={status} />
      </main>
    </I18nProvider>
  );
}
