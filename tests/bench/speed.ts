/**
 * Issue 10's rows: the same public pages for a signed-in reader (rendered every time: never the
 * page cache), /opds/new rendered (a session cookie keeps it out of the cache), and the anonymous
 * pages the other areas do not measure (answered by the page cache).
 */
import type { BenchContext } from './run';

export async function bench(ctx: BenchContext): Promise<void> {
  const cookie = await ctx.cookieFor(ctx.userIds[7]!);
  const book = await ctx.db.selectFrom('lib_titles').select('slug').orderBy('slug').limit(1).executeTakeFirst();
  const resource = await ctx.db.selectFrom('resources').select('id').where('status', '=', 'published').limit(1).executeTakeFirst();
  const course = await ctx.db.selectFrom('courses').select('slug').where('status', '=', 'published').limit(1).executeTakeFirst();
  const pages = [
    '/weeks/2024',
    '/library',
    ...(book ? [`/library/${book.slug}`] : []),
    '/resources',
    ...(resource ? [`/resources/${resource.id}`] : []),
    '/courses',
    ...(course ? [`/courses/${course.slug}`] : []),
  ];
  const short = { duration: 5, warmup: 1 };
  for (const p of pages) ctx.report(`GET ${p} signed in`, await ctx.autocannon({ path: p, headers: { Cookie: cookie }, ...short }));
  ctx.report(
    'GET /opds/new rendered (session cookie: no cache)',
    await ctx.autocannon({ path: '/opds/new', headers: { Cookie: cookie }, ...short }),
  );
  for (const p of ['/courses', '/weeks']) ctx.report(`GET ${p}`, await ctx.autocannon({ path: p, ...short }));
}
