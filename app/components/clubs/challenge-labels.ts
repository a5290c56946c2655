/** Literal translation keys for challenge kinds (never built from the code at run time). */
export const CHALLENGE_KIND_KEYS = {
  minutes_per_day: 'clubs.challenges.kinds.minutes_per_day',
  minutes_total: 'clubs.challenges.kinds.minutes_total',
  books: 'clubs.challenges.kinds.books',
} as const;

/** "20 phút mỗi ngày", "600 phút", "5 cuốn sách": the goal, with the target as count. */
export const CHALLENGE_GOAL_KEYS = {
  minutes_per_day: 'clubs.challenges.goal.minutes_per_day',
  minutes_total: 'clubs.challenges.goal.minutes_total',
  books: 'clubs.challenges.goal.books',
} as const;

/** How the progress counts: days that reached the minutes, minutes, books. */
export const CHALLENGE_DONE_KEYS = {
  minutes_per_day: 'clubs.challenges.done.minutes_per_day',
  minutes_total: 'clubs.challenges.done.minutes_total',
  books: 'clubs.challenges.done.books',
} as const;

/** A participant's score on the leaderboard ("12 ngày", "340 phút", "3 cuốn"). */
export const CHALLENGE_SCORE_KEYS = {
  minutes_per_day: 'clubs.challenges.score.minutes_per_day',
  minutes_total: 'clubs.challenges.score.minutes_total',
  books: 'clubs.challenges.score.books',
} as const;
