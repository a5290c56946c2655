/** The organiser's manage form: one intent → one domain call → a Result. */
import type { ContestManageInput } from '~/forms/contests-manage';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import { addPrize, addRound, setPopulation, setRoundWindow, updateRanking } from './contests.server';
import { confirmOverall, disqualifyEntrant, proposeOverall, setOverallRule } from './overall.server';
import type { RankStep } from './ranking';
import { confirmResults, proposeResults } from './results.server';

export type ManageIntent = ContestManageInput;

export type ManageFlash =
  | 'contests.flash.roundAdded'
  | 'contests.flash.prizeAdded'
  | 'contests.flash.populationSaved'
  | 'contests.flash.rankingSaved'
  | 'contests.flash.proposed'
  | 'contests.flash.published'
  | 'contests.flash.closed'
  | 'contests.flash.disqualified'
  | 'contests.flash.overallRuleSaved'
  | 'contests.flash.overallProposed'
  | 'contests.flash.overallPublished';

export async function manageAction(
  db: DB,
  userId: string,
  contestId: string,
  d: ManageIntent,
  now = new Date(),
): Promise<Result<ManageFlash, string>> {
  switch (d.intent) {
    case 'round': {
      const r = await addRound(db, userId, contestId, {
        title: d.title,
        opensAt: d.opens_at,
        closesAt: d.closes_at,
        timeLimitS: d.time_limit_min * 60,
        quota: (['easy', 'medium', 'hard'] as const)
          .filter((k) => d[k] > 0)
          .map((k) => ({ topic: d.topic || null, difficulty: k, count: d[k] })),
      });
      return r.ok ? ok('contests.flash.roundAdded') : r;
    }
    case 'prize': {
      const r = await addPrize(db, userId, contestId, {
        roundId: d.round_id || null,
        label: d.label,
        rankFrom: d.rank_from,
        rankTo: d.rank_to,
        points: d.points,
        basis: d.basis,
        unitDepth: d.unit_depth,
      });
      return r.ok ? ok('contests.flash.prizeAdded') : r;
    }
    case 'population': {
      const r = await setPopulation(db, userId, contestId, d.unit_id, d.population);
      return r.ok ? ok('contests.flash.populationSaved') : r;
    }
    case 'ranking': {
      const order: RankStep[] = [d.order_1, d.order_2, d.order_3, d.order_4];
      const on = { score: !!d.on_score, prediction: !!d.on_prediction, time: !!d.on_time, submitted: !!d.on_submitted };
      const r = await updateRanking(
        db,
        userId,
        contestId,
        order.map((step) => ({ step, on: on[step] })),
      );
      return r.ok ? ok('contests.flash.rankingSaved') : r;
    }
    case 'propose': {
      const r = await proposeResults(db, userId, d.round_id, now);
      return r.ok ? ok('contests.flash.proposed') : r;
    }
    case 'confirm': {
      const r = await confirmResults(db, userId, d.round_id, now);
      return r.ok ? ok('contests.flash.published') : r;
    }
    case 'close_now': {
      const round = await db
        .selectFrom('contest_rounds')
        .select(['opens_at', 'contest_id'])
        .where('id', '=', d.round_id)
        .executeTakeFirst();
      if (!round || round.contest_id !== contestId) return err('not_found');
      const r = await setRoundWindow(db, userId, d.round_id, round.opens_at, now.toISOString());
      return r.ok ? ok('contests.flash.closed') : r;
    }
    case 'disqualify': {
      const r = await disqualifyEntrant(db, userId, d.round_id, d.user_id, d.reason, now);
      return r.ok ? ok('contests.flash.disqualified') : r;
    }
    case 'overall_rule': {
      const r = await setOverallRule(db, userId, contestId, { bestRounds: d.best_rounds });
      return r.ok ? ok('contests.flash.overallRuleSaved') : r;
    }
    case 'propose_overall': {
      const r = await proposeOverall(db, userId, contestId);
      return r.ok ? ok('contests.flash.overallProposed') : r;
    }
    case 'confirm_overall': {
      const r = await confirmOverall(db, userId, contestId, now);
      return r.ok ? ok('contests.flash.overallPublished') : r;
    }
  }
}
