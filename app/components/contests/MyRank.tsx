import type { ReactNode } from 'react';

import { useT } from '~/i18n/i18n';

import { formatDuration } from './RoundPhase';

const WHY_KEYS = {
  score: 'contests.results.why.score',
  prediction: 'contests.results.why.prediction',
  time: 'contests.results.why.time',
  submitted: 'contests.results.why.submitted',
} as const;

export interface MyRankData {
  score: number;
  maxScore: number;
  predictionGap: number | null;
  durationMs: number;
  prize: string | null;
  rank: number;
  decidedBy: keyof typeof WHY_KEYS | null;
  above: { score: number; predictionGap: number | null; durationMs: number } | null;
}

/**
 * The signed-in entrant's own result and the step of the ranking rule that placed them below the
 * one above — one card for a round's results and the contest-wide results.
 */
export function MyRank({ title, first, extra, mine }: { title: string; first: string; extra?: ReactNode; mine: MyRankData }) {
  const { t } = useT();
  return (
    <section className="card" aria-labelledby="mine-h">
      <h2 id="mine-h">{title}</h2>
      <dl className="contest-why">
        {extra}
        <dt>{t('contests.results.score')}</dt>
        <dd>
          {mine.score}/{mine.maxScore}
        </dd>
        <dt>{t('contests.results.gap')}</dt>
        <dd>{mine.predictionGap ?? t('contests.results.noPrediction')}</dd>
        <dt>{t('contests.results.time')}</dt>
        <dd>{formatDuration(mine.durationMs)}</dd>
        {mine.prize ? (
          <>
            <dt>{t('contests.results.prize')}</dt>
            <dd>{mine.prize}</dd>
          </>
        ) : null}
      </dl>
      <p>
        {mine.decidedBy && mine.above
          ? t(WHY_KEYS[mine.decidedBy], {
              score: mine.above.score,
              gap: mine.above.predictionGap ?? '—',
              time: formatDuration(mine.above.durationMs),
            })
          : mine.rank === 1
            ? first
            : t('contests.results.why.tied')}
      </p>
    </section>
  );
}
