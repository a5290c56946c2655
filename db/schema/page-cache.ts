/** The rendered-page cache's shared change counters (app/lib/page-cache.server.ts). */
export interface PageCacheTables {
  page_cache_versions: { name: string; seq: number };
}
