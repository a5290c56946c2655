import { RemixBrowser } from '@remix-run/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';

import { type I18nBundles, loadBundles } from '~/i18n/bundles';

// The page's translation scripts are deferred so that they don't hold up the first paint (issue 10):
// hydrate once they have run, so that the first render in the browser has the page's words.
const rootI18n = (window as unknown as { __remixContext?: { state?: { loaderData?: { root?: { i18n?: I18nBundles } } } } }).__remixContext
  ?.state?.loaderData?.root?.i18n;

void (rootI18n ? loadBundles(rootI18n) : Promise.resolve())
  .catch(() => undefined)
  .then(() =>
    startTransition(() => {
      hydrateRoot(
        document,
        <StrictMode>
          <RemixBrowser />
        </StrictMode>,
      );
    }),
  );
