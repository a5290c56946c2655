/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // db/ and content loaders are imported by server modules; bundle them for the server build.
  serverDependenciesToBundle: [],
  watchPaths: ['./db/**/*.ts'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    // Off: the patched @remix-run/react leaves single fetch out of the browser build (app/patches, issue 10).
    v3_singleFetch: false,
  },
};
