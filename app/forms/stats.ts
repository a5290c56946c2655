import { z } from 'zod';

import { CHART_METRICS_LIST } from '~/components/stats/labels';

/** The stats pages' query: which figure the charts show (an unknown value falls back to participants). */
export const statsQuerySchema = z.object({
  metric: z.enum(CHART_METRICS_LIST).catch('participants'),
});

export function parseStatsQuery(url: URL) {
  return statsQuerySchema.parse({ metric: url.searchParams.get('metric') ?? undefined });
}
