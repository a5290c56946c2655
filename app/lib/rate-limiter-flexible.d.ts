// rate-limiter-flexible's store base class, imported from lib/ (the package index does not
// re-export it at runtime); typed in app/lib/rate-limit.server.ts from the package's .d.ts.
declare module 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js' {
  const StoreAbstract: unknown;
  export default StoreAbstract;
}
