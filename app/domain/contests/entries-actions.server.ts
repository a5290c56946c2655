/** The organiser's submission-round form: one intent → one domain call → a Result with the flash to show. */
import type { z } from 'zod';

import type {
  judgeSchema,
  moderateSchema,
  roundIntentSchema,
  rubricSchema,
  submissionRoundSchema,
  voteFlagSchema,
  votingSchema,
} from '~/forms/contest-entries';
import type { DB } from '~/lib/db.server';
import { ok, type Result } from '~/lib/result';

import { addSubmissionRound, moderateEntry } from './entries.server';
import { confirmStageResults, proposeStageResults } from './entries-results.server';
import { addJudge, assignJudges, setRubric } from './jury.server';
import { reviewVoteFlag, setVotingSettings, type VotingSettingsInput } from './votes.server';

export type EntriesIntent =
  | z.infer<typeof submissionRoundSchema>
  | z.infer<typeof rubricSchema>
  | z.infer<typeof judgeSchema>
  | z.infer<typeof roundIntentSchema>
  | z.infer<typeof moderateSchema>
  | z.infer<typeof voteFlagSchema>
  | z.infer<typeof votingSchema>;

/** The voting fields of a form (shared by the add-round and the voting forms) → the domain input. */
function votingInput(d: z.infer<typeof votingSchema>): VotingSettingsInput {
  return {
    voting: d.voting,
    voteOpensAt: d.vote_opens_at,
    voteClosesAt: d.vote_closes_at,
    votesMode: d.votes_mode,
    votesPerAccount: d.votes_per_account,
    voteWeight: d.vote_weight / 100,
    burstThreshold: d.burst_threshold,
    burstWindowS: d.burst_window_min * 60,
    newAccountDays: d.new_account_days,
    peoplesChoiceLabel: d.peoples_choice_label,
    peoplesChoiceWinners: d.peoples_choice_winners,
  };
}

export type EntriesFlash = {
  message:
    | 'contests.entries.flash.roundAdded'
    | 'contests.entries.flash.rubricSaved'
    | 'contests.entries.flash.judgeAdded'
    | 'contests.entries.flash.assigned'
    | 'contests.entries.flash.understaffed'
    | 'contests.entries.flash.moderated'
    | 'contests.entries.flash.flagReviewed'
    | 'contests.entries.flash.votingSaved'
    | 'contests.entries.flash.proposed'
    | 'contests.entries.flash.confirmed';
  params?: Record<string, number>;
};

export async function entriesAction(
  db: DB,
  userId: string,
  contestId: string,
  d: EntriesIntent,
  participationLabel: string,
  now = new Date(),
): Promise<Result<EntriesFlash, string>> {
  switch (d.intent) {
    case 'round': {
      const r = await addSubmissionRound(db, userId, contestId, {
        ...votingInput({ ...d, intent: 'voting', round_id: '' }),
        title: d.title,
        opensAt: d.opens_at,
        closesAt: d.closes_at,
        entryKind: d.entry_kind,
        passageTitle: d.passage_title,
        passageText: d.passage_text,
        minSeconds: d.min_seconds,
        maxSeconds: d.max_seconds,
        stageLevel: d.stage_level,
        advanceCount: d.advance_count,
        previousRoundId: d.previous_round_id,
        judgesPerEntry: d.judges_per_entry,
        marginPoints: d.margin_points,
        normalise: d.normalise,
        gallery: d.gallery,
      });
      return r.ok ? ok({ message: 'contests.entries.flash.roundAdded' }) : r;
    }
    case 'voting': {
      const r = await setVotingSettings(db, userId, d.round_id, votingInput(d));
      return r.ok ? ok({ message: 'contests.entries.flash.votingSaved' }) : r;
    }
    case 'rubric': {
      const r = await setRubric(db, userId, d.round_id, d.rubric);
      return r.ok ? ok({ message: 'contests.entries.flash.rubricSaved' }) : r;
    }
    case 'judge': {
      const r = await addJudge(db, userId, d.round_id, { email: d.email, unitId: d.unit_id }, now);
      return r.ok ? ok({ message: 'contests.entries.flash.judgeAdded' }) : r;
    }
    case 'assign': {
      const r = await assignJudges(db, userId, d.round_id, now);
      if (!r.ok) return r;
      return ok<EntriesFlash>(
        r.value.understaffed.length
          ? { message: 'contests.entries.flash.understaffed', params: { n: r.value.created, m: r.value.understaffed.length } }
          : { message: 'contests.entries.flash.assigned', params: { n: r.value.created } },
      );
    }
    case 'moderate': {
      const r = await moderateEntry(db, userId, d.entry_id, d.decision, d.consent);
      return r.ok ? ok({ message: 'contests.entries.flash.moderated' }) : r;
    }
    case 'flag': {
      const r = await reviewVoteFlag(db, userId, d.flag_id, d.decision, now);
      return r.ok ? ok({ message: 'contests.entries.flash.flagReviewed' }) : r;
    }
    case 'propose': {
      const r = await proposeStageResults(db, userId, d.round_id, now);
      return r.ok ? ok({ message: 'contests.entries.flash.proposed', params: { n: r.value.ranked, flagged: r.value.flagged } }) : r;
    }
    case 'confirm': {
      const r = await confirmStageResults(db, userId, d.round_id, participationLabel, now);
      return r.ok ? ok({ message: 'contests.entries.flash.confirmed', params: r.value }) : r;
    }
  }
}
