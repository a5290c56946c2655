import { z } from 'zod';

import { fromLocalInput } from '~/lib/dates';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const int = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, message)
    .transform(Number);
const instant = z
  .string()
  .trim()
  .refine((v) => fromLocalInput(v) != null, 'errors.dateTime')
  .transform((v) => fromLocalInput(v)!);
const optionalInstant = z
  .string()
  .trim()
  .refine((v) => !v || fromLocalInput(v) != null, 'errors.dateTime')
  .transform((v) => (v ? fromLocalInput(v)! : null));
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === '1');

/** A number field that may be left empty (or absent) for its default. */
const optInt = (min: number, max: number, message: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim() || String(fallback))
    .pipe(int(min, max, message));

/**
 * Public voting of a round (item 6 of issue #15): window, votes per account per entry or N per
 * round, the weight of votes in the final score (percent; 0 keeps them out of it), burst rules and
 * the people's choice prize.
 */
const votingFields = {
  voting: checkbox,
  vote_opens_at: optionalInstant,
  vote_closes_at: optionalInstant,
  votes_mode: z
    .enum(['per_entry', 'per_contest'], { message: 'errors.choose' })
    .optional()
    .transform((v) => v ?? 'per_entry'),
  votes_per_account: optInt(1, 1000, 'contests.errors.count', 1),
  vote_weight: optInt(0, 100, 'contests.entries.errors.vote_weight', 0),
  burst_threshold: optInt(2, 100_000, 'contests.errors.count', 20),
  burst_window_min: optInt(1, 1440, 'contests.errors.count', 10),
  new_account_days: optInt(0, 365, 'contests.errors.count', 7),
  peoples_choice_label: z
    .string()
    .trim()
    .max(200, 'errors.tooLong')
    .optional()
    .transform((v) => v || null),
  peoples_choice_winners: optInt(1, 100, 'contests.errors.count', 1),
};
type VotingValues = {
  voting: boolean;
  vote_opens_at: string | null;
  vote_closes_at: string | null;
};
function checkVoteWindow(v: VotingValues, ctx: z.RefinementCtx) {
  if (v.voting && !(v.vote_opens_at && v.vote_closes_at && v.vote_closes_at > v.vote_opens_at))
    ctx.addIssue({ code: 'custom', path: ['vote_closes_at'], message: 'contests.entries.errors.vote_window' });
}

/** An organiser adds a submission round (a stage) to a contest. */
export const submissionRoundSchema = z
  .object({
    intent: z.literal('round'),
    title: text(200),
    opens_at: instant,
    closes_at: instant,
    entry_kind: z.enum(['audio', 'video', 'essay', 'photo'], { message: 'errors.choose' }),
    passage_title: z.string().trim().max(200, 'errors.tooLong'),
    passage_text: z.string().trim().max(20_000, 'errors.tooLong'),
    min_seconds: int(0, 3600, 'contests.entries.errors.seconds'),
    max_seconds: int(1, 7200, 'contests.entries.errors.seconds'),
    stage_level: z.enum(['school', 'ward', 'province', 'national'], { message: 'errors.choose' }),
    advance_count: int(0, 1000, 'contests.errors.count'),
    previous_round_id: z
      .string()
      .trim()
      .transform((v) => v || null),
    judges_per_entry: int(1, 10, 'contests.errors.count'),
    margin_points: int(0, 100, 'contests.errors.count'),
    normalise: checkbox,
    gallery: checkbox,
    ...votingFields,
  })
  .superRefine((v, ctx) => {
    if (v.max_seconds <= v.min_seconds)
      ctx.addIssue({ code: 'custom', path: ['max_seconds'], message: 'contests.entries.errors.length_range' });
    checkVoteWindow(v, ctx);
  });

/** An organiser changes an existing round's public voting. */
export const votingSchema = z
  .object({ intent: z.literal('voting'), round_id: z.string().min(1), ...votingFields })
  .superRefine((v, ctx) => checkVoteWindow(v, ctx));

/**
 * The rubric, one criterion a line: `label | weight | max points | description | levels`, levels as
 * `points: text; points: text` (a plain textarea works without JavaScript).
 */
export const rubricSchema = z.object({
  intent: z.literal('rubric'),
  round_id: z.string().min(1),
  rubric: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(20_000, 'errors.tooLong')
    .transform((v, ctx) => {
      const out: Array<{
        label: string;
        weight: number;
        maxPoints: number;
        description: string;
        levels: Array<{ points: number; text: string }>;
      }> = [];
      for (const line of v
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)) {
        const [label, weight, max, description = '', levels = ''] = line.split('|').map((s) => s.trim());
        const w = Number(weight);
        const m = Number(max);
        if (!label || !(w > 0) || !Number.isInteger(m) || m <= 0) {
          ctx.addIssue({ code: 'custom', message: 'contests.entries.errors.rubric_line' });
          return z.NEVER;
        }
        const lv = levels
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => {
            const i = s.indexOf(':');
            return { points: Number(s.slice(0, i)), text: s.slice(i + 1).trim() };
          });
        if (lv.some((l) => !Number.isFinite(l.points) || l.points < 0 || l.points > m)) {
          ctx.addIssue({ code: 'custom', message: 'contests.entries.errors.rubric_line' });
          return z.NEVER;
        }
        out.push({ label, weight: w, maxPoints: m, description, levels: lv });
      }
      return out;
    }),
});

export const judgeSchema = z.object({
  intent: z.literal('judge'),
  round_id: z.string().min(1),
  email: z.string().trim().toLowerCase().email('errors.email'),
  unit_id: z
    .string()
    .trim()
    .transform((v) => v || null),
});

export const roundIntentSchema = z.object({
  intent: z.enum(['assign', 'propose', 'confirm']),
  round_id: z.string().min(1),
});

export const moderateSchema = z.object({
  intent: z.literal('moderate'),
  entry_id: z.string().min(1),
  decision: z.enum(['approved', 'rejected'], { message: 'errors.choose' }),
  consent: checkbox,
});

export const voteFlagSchema = z.object({
  intent: z.literal('flag'),
  flag_id: z.string().min(1),
  decision: z.enum(['cleared', 'rejected'], { message: 'errors.choose' }),
});

/** The entrant's submission (multipart: the file streams to a temporary file first). */
export const submitSchema = z.object({
  title: text(200),
  body_text: z.string().max(100_000, 'errors.tooLong').optional().default(''),
});

/** A judge's scores: `c_<criterionId>` fields; empty ones are left unsaved. */
export const scoreSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const points: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!k.startsWith('c_') || typeof v !== 'string' || !v.trim()) continue;
    const n = Number(v.trim().replace(',', '.'));
    if (!Number.isFinite(n) || n < 0) {
      ctx.addIssue({ code: 'custom', path: [k], message: 'contests.entries.errors.points' });
      return z.NEVER;
    }
    points[k.slice(2)] = n;
  }
  return {
    intent: raw.intent === 'conflict' ? ('conflict' as const) : ('score' as const),
    points,
    reason: typeof raw.reason === 'string' ? raw.reason : '',
  };
});

export const voteSchema = z.object({ entry_id: z.string().min(1) });
