/** Codes of submission rounds → literal translation keys (never built with template literals). */
export const entryKindLabel = {
  audio: 'contests.entries.kinds.audio',
  video: 'contests.entries.kinds.video',
  essay: 'contests.entries.kinds.essay',
  photo: 'contests.entries.kinds.photo',
} as const;

export const stageLevelLabel = {
  school: 'contests.entries.levels.school',
  ward: 'contests.entries.levels.ward',
  province: 'contests.entries.levels.province',
  national: 'contests.entries.levels.national',
} as const;

export const moderationLabel = {
  pending: 'contests.entries.moderation.pending',
  approved: 'contests.entries.moderation.approved',
  rejected: 'contests.entries.moderation.rejected',
} as const;
