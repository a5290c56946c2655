import { z } from 'zod';

import { CHART_METRICS_LIST } from '~/components/stats/labels';

/**
 * The stats pages' query: which figure the charts show, how the child units are ordered and which
 * page of them is listed (an unknown or bad value falls back to the default: participants, by
 * the figure, the first page; a page past the last shows the last).
 */
export const statsQuerySchema = z.object({
  metric: z.enum(CHART_METRICS_LIST).catch('participants'),
  sort: z.enum(['value', 'rate']).catch('value'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export function parseStatsQuery(url: URL) {
  const q = url.searchParams;
  return statsQuerySchema.parse({
    metric: q.get('metric') ?? undefined,
    sort: q.get('sort') ?? undefined,
    page: q.get('page') ?? undefined,
  });
}
